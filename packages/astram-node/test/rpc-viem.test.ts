import { encodeTransaction, signTransaction } from "astram-core";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, parseGwei } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { addrA, FEE, keyA } from "./helpers.js";
import { request, startTestNode, until } from "./service-helpers.js";

// The well-known development mnemonic: account 0 on m/44'/60'/0'/0/0 is 0xf39F…2266 in every wallet.
const MNEMONIC = "test test test test test test test test test test test junk";

describe("Ethereum JSON-RPC end to end with viem", () => {
  it("reads the chain, sends a transfer from a mnemonic account and sees both balances change", async () => {
    const t = await startTestNode({ mine: addrA });
    try {
      const chain = defineChain({
        id: 1337,
        name: "Astram devnet",
        nativeCurrency: { name: "Astram", symbol: "ASRM", decimals: 18 },
        rpcUrls: { default: { http: [t.eth] } },
      });
      const client = createPublicClient({ chain, transport: http(t.eth), pollingInterval: 100 });
      const sender = mnemonicToAccount(MNEMONIC);
      const recipient = mnemonicToAccount(MNEMONIC, { addressIndex: 1 });
      expect(sender.address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
      const wallet = createWalletClient({ account: sender, chain, transport: http(t.eth) });

      expect(await client.getChainId()).toBe(1337);
      await until(async () => (await client.getBlockNumber()) >= 2n);

      // Fund the mnemonic account with 5 ASRM from the miner through the HTTP API (a native transfer).
      const { body: utxos } = await request(`${t.api}/address/${addrA}/utxos`);
      const coin = utxos.find((u: { pending_spent: boolean }) => !u.pending_spent);
      const amount = BigInt(coin.amount);
      const funding = signTransaction(
        {
          inputs: [{ txid: coin.txid, vout: coin.vout }],
          outputs: [
            { to: sender.address.toLowerCase(), amount: parseEther("5") },
            { to: addrA, amount: amount - parseEther("5") - FEE },
          ],
          timestamp: t.node.now(),
        },
        keyA,
      );
      expect((await request(`${t.api}/tx`, { body: encodeTransaction(funding) })).body.status).toBe("ok");
      await until(async () => (await client.getBalance({ address: sender.address })) > 0n);
      const before = await client.getBalance({ address: sender.address });
      expect(before).toBe(parseEther("5"));
      expect(await client.getBalance({ address: recipient.address })).toBe(0n);

      // viem's defaults: blocks carry baseFeePerGas, so an EIP-1559 transfer at 1.2 x base + priority.
      const hash = await wallet.sendTransaction({ to: recipient.address, value: parseEther("1.25") });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
      expect(receipt.status).toBe("success");
      expect(receipt.type).toBe("eip1559");
      expect(receipt.transactionHash).toBe(hash);
      const fee = receipt.gasUsed * receipt.effectiveGasPrice;
      expect(fee).toBeGreaterThan(0n);
      expect(await client.getBalance({ address: recipient.address })).toBe(parseEther("1.25"));
      expect(await client.getBalance({ address: sender.address })).toBe(before - parseEther("1.25") - fee);
      expect(await client.getTransactionCount({ address: sender.address })).toBe(1);
      const tx = await client.getTransaction({ hash });
      expect(tx.from.toLowerCase()).toBe(sender.address.toLowerCase());
      expect(tx.blockNumber).toBe(receipt.blockNumber);
      const block = await client.getBlock({ blockNumber: receipt.blockNumber });
      expect(block.transactions).toContain(hash);
      expect(block.baseFeePerGas).toBe(parseGwei("6"));

      // An EIP-1559 transfer with explicit fees, from the same account (nonce 1).
      const hash2 = await wallet.sendTransaction({
        to: recipient.address,
        value: parseEther("0.5"),
        maxFeePerGas: parseGwei("60"),
        maxPriorityFeePerGas: parseGwei("1"),
      });
      const receipt2 = await client.waitForTransactionReceipt({ hash: hash2, pollingInterval: 100 });
      expect(receipt2.status).toBe("success");
      expect(receipt2.type).toBe("eip1559");
      expect(await client.getBalance({ address: recipient.address })).toBe(parseEther("1.75"));
      expect(await client.getBalance({ address: sender.address })).toBe(
        before - parseEther("1.75") - fee - receipt2.gasUsed * receipt2.effectiveGasPrice,
      );
      expect(await client.getTransactionCount({ address: sender.address })).toBe(2);
    } finally {
      await t.stop();
    }
  });
});
