import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import {
  buildEthTransferTransaction,
  cappedReward,
  checkTransaction,
  checkTransactionInputs,
  createCoinbase,
  createTransaction,
  parseEthTransfer,
} from "astram-core";
import { Transaction as EthTx } from "micro-eth-signer";
import { RLP } from "micro-eth-signer/core/rlp.js";
import { describe, expect, it } from "vitest";
import { addrA, addrB, expectVerifyError, fundedChain, keyA, mineCustom } from "./helpers.js";

const ONE = 10n ** 18n;
const GAS_PRICE = 50n * 10n ** 9n;

function signEth(over: Record<string, unknown> = {}, key = keyA): string {
  return EthTx.prepare(
    {
      type: "legacy",
      to: addrB,
      value: ONE,
      nonce: 0n,
      gasPrice: GAS_PRICE,
      gasLimit: 21000n,
      chainId: 1337n,
      ...over,
    } as Parameters<typeof EthTx.prepare>[0],
    false,
  )
    .signBy(key)
    .toHex();
}

/** A hand-built legacy transaction (for shapes the library refuses to prepare). */
function rawLegacy(to: string, chainId: bigint): string {
  const fields = [0n, GAS_PRICE, 21000n, to, ONE, "0x"];
  const unsigned = chainId > 0n ? [...fields, chainId, 0n, 0n] : fields;
  const digest = keccak_256(RLP.encode(unsigned));
  const sig = secp256k1.Signature.fromBytes(
    secp256k1.sign(digest, keyA, { prehash: false, format: "recovered" }),
    "recovered",
  );
  const v = chainId > 0n ? 35n + 2n * chainId + BigInt(sig.recovery!) : 27n + BigInt(sig.recovery!);
  return "0x" + Buffer.from(RLP.encode([...fields, v, sig.r, sig.s])).toString("hex");
}

describe("Ethereum-signed transfers", () => {
  const now = Math.floor(Date.now() / 1000);

  it("a legacy transfer recovers the sender, binds outputs and fee, and connects", () => {
    const chain = fundedChain(2);
    const auth = parseEthTransfer(signEth(), chain.params.chainId);
    expect(auth.sender).toBe(addrA);
    expect(auth.fee).toBe(21000n * GAS_PRICE);
    const tx = buildEthTransferTransaction(
      auth,
      chain.utxosOf(addrA).slice(0, 1),
      chain.tip.header.timestamp,
    );
    const checked = checkTransaction(tx, { now, chainId: 1337 });
    expect(checked.eth?.hash).toBe(auth.hash);
    const connected = checkTransactionInputs(checked, chain);
    expect(connected.fee).toBe(auth.fee);
    expect(connected.ethSender).toBe(addrA);
    const cb = createCoinbase(
      [{ to: addrA, amount: cappedReward(3) + auth.fee }],
      chain.tip.header.timestamp + 10,
    );
    chain.connect(mineCustom(chain, [cb, tx]));
    expect(chain.balanceOf(addrB)).toBe(ONE);
    expect(chain.ethNonce(addrA)).toBe(1);
  });

  it("an EIP-1559 transfer is accepted with fee = gasLimit x maxFeePerGas", () => {
    const chain = fundedChain(2);
    const raw = EthTx.prepare({
      type: "eip1559",
      to: addrB,
      value: ONE,
      nonce: 0n,
      maxFeePerGas: GAS_PRICE,
      maxPriorityFeePerGas: 10n ** 9n,
      gasLimit: 21000n,
      chainId: 1337n,
    })
      .signBy(keyA)
      .toHex();
    const auth = parseEthTransfer(raw, 1337);
    const tx = buildEthTransferTransaction(auth, chain.utxosOf(addrA).slice(0, 1), 1);
    expect(checkTransactionInputs(checkTransaction(tx, { now, chainId: 1337 }), chain).fee).toBe(
      21000n * GAS_PRICE,
    );
  });

  it("outputs other than what the signature authorises are rejected", () => {
    const chain = fundedChain(2);
    const auth = parseEthTransfer(signEth(), 1337);
    const tx = buildEthTransferTransaction(auth, chain.utxosOf(addrA).slice(0, 1), 1);
    const redirected = createTransaction({ ...tx, outputs: [{ to: addrA, amount: ONE }, tx.outputs[1]!] });
    expectVerifyError(
      () => checkTransaction(redirected, { now, chainId: 1337, skipSignatures: true }),
      "eth-tx-outputs",
    );
    const inflated = createTransaction({ ...tx, outputs: [{ to: addrB, amount: 2n * ONE }, tx.outputs[1]!] });
    expectVerifyError(() => checkTransaction(inflated, { now, chainId: 1337 }), "eth-tx-outputs");
  });

  it("a fee different from the authorised one is rejected", () => {
    const chain = fundedChain(2);
    const auth = parseEthTransfer(signEth(), 1337);
    const cheap = buildEthTransferTransaction(
      { ...auth, fee: auth.fee / 2n },
      chain.utxosOf(addrA).slice(0, 1),
      1,
    );
    expectVerifyError(
      () => checkTransactionInputs(checkTransaction(cheap, { now, chainId: 1337 }), chain),
      "eth-tx-fee",
    );
  });

  it("another chain id, a wrong nonce, a replay and a stranger's key are rejected", () => {
    const chain = fundedChain(2);
    expectVerifyError(() => parseEthTransfer(signEth({ chainId: 1n }), 1337), "eth-tx-chain-id");
    const auth1 = parseEthTransfer(signEth({ nonce: 1n }), 1337);
    const tx1 = buildEthTransferTransaction(auth1, chain.utxosOf(addrA).slice(0, 1), 1);
    expectVerifyError(
      () => checkTransactionInputs(checkTransaction(tx1, { now, chainId: 1337 }), chain),
      "eth-tx-nonce",
    );
    // Replay: the same signed transaction with a new timestamp (new txid) after the first was applied.
    const auth0 = parseEthTransfer(signEth(), 1337);
    const first = buildEthTransferTransaction(auth0, chain.utxosOf(addrA).slice(0, 1), 1);
    const cb = createCoinbase(
      [{ to: addrA, amount: cappedReward(3) + auth0.fee }],
      chain.tip.header.timestamp + 10,
    );
    chain.connect(mineCustom(chain, [cb, first]));
    const replay = buildEthTransferTransaction(auth0, chain.utxosOf(addrA).slice(0, 1), 2);
    expectVerifyError(
      () => checkTransactionInputs(checkTransaction(replay, { now, chainId: 1337 }), chain),
      "eth-tx-nonce",
    );
  });

  it("an eth: signature over someone else's coins fails ownership", () => {
    const chain = fundedChain(2);
    const strangerKey = new Uint8Array(32).fill(7);
    const auth = parseEthTransfer(signEth({}, strangerKey), 1337);
    const tx = buildEthTransferTransaction(auth, chain.utxosOf(addrA).slice(0, 1), 1);
    expectVerifyError(
      () => checkTransactionInputs(checkTransaction(tx, { now, chainId: 1337 }), chain),
      "not-owner",
    );
  });

  it("garbage, contract creation, call data and pre-EIP-155 transactions are rejected", () => {
    expectVerifyError(() => parseEthTransfer("0xdeadbeef", 1337), "eth-tx-malformed");
    expectVerifyError(() => parseEthTransfer(signEth({ data: "0x1234" }), 1337), "eth-tx-data");
    expect(parseEthTransfer(rawLegacy(addrB, 1337n), 1337).sender).toBe(addrA);
    expectVerifyError(() => parseEthTransfer(rawLegacy("0x", 1337n), 1337), "eth-tx-contract-creation");
    expectVerifyError(() => parseEthTransfer(rawLegacy(addrB, 0n), 1337), "eth-tx-no-chain-id");
  });

  it("a pubkey that is not the signer's is rejected", () => {
    const chain = fundedChain(2);
    const auth = parseEthTransfer(signEth(), 1337);
    const tx = buildEthTransferTransaction(auth, chain.utxosOf(addrA).slice(0, 1), 1);
    const swapped = { ...tx, inputs: tx.inputs.map((i) => ({ ...i, pubkey: "04" + "11".repeat(64) })) };
    expectVerifyError(() => checkTransaction(swapped, { now, chainId: 1337 }), "eth-tx-pubkey");
  });
});
