import { signTransaction, type Utxo } from "astram-core";
import { MemoryChain } from "astram-core/testing";
import type { AstramNode } from "astram-node";
import { type Hex, parseGwei } from "viem";
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { addrA, addrC, FEE, keyA, mineBlocks, params } from "./helpers.js";
import { mineNext, startTestNode, type TestNode } from "./service-helpers.js";

export const CHAIN_ID = params.chainId;
/** The node's quotes (gas.ts): eth_gasPrice, baseFeePerGas and eth_maxPriorityFeePerGas. */
export const QUOTED_PRICE = parseGwei("12");
export const BASE_FEE = parseGwei("6");
export const q = (v: bigint | number): string => "0x" + v.toString(16);

/** A devnet node (no paced miner) whose first blocks pay addrA; `mine()` mines the next block now. */
export async function walletNode(blocks = 3): Promise<{ t: TestNode; mine: () => void }> {
  const ref = new MemoryChain(params);
  mineBlocks(ref, blocks);
  const t = await startTestNode({ blocks: ref.blocks.slice(1) });
  return { t, mine: () => void mineNext(t.node, addrC) };
}

/**
 * A fresh account holding `count` confirmed outputs of `amount` each, paid from addrA's coinbase
 * outputs by one native transaction (mined into a block before this returns).
 */
export function fundedAccount(t: { node: AstramNode }, count: number, amount: bigint): PrivateKeyAccount {
  return fundAccount(t, privateKeyToAccount(generatePrivateKey()), count, amount);
}

/** The private key of a fresh account funded as `fundedAccount` does (for ethers and web3.js wallets). */
export function fundedKey(t: { node: AstramNode }, count: number, amount: bigint): Hex {
  const key = generatePrivateKey();
  fundAccount(t, privateKeyToAccount(key), count, amount);
  return key;
}

function fundAccount(
  t: { node: AstramNode },
  account: PrivateKeyAccount,
  count: number,
  amount: bigint,
): PrivateKeyAccount {
  const to = account.address.toLowerCase();
  const coins: Utxo[] = t.node.store
    .addressUtxos(addrA, { limit: 100 })
    .filter((u) => !t.node.mempool.isSpent(u));
  const total = BigInt(count) * amount + FEE;
  const inputs: Utxo[] = [];
  let sum = 0n;
  for (const c of coins) {
    if (sum >= total) break;
    inputs.push(c);
    sum += c.amount;
  }
  if (sum < total) throw new Error("addrA cannot fund the account");
  const tx = signTransaction(
    {
      inputs: inputs.map((u) => ({ txid: u.txid, vout: u.vout })),
      outputs: [...Array.from({ length: count }, () => ({ to, amount })), { to: addrA, amount: sum - total }],
      timestamp: t.node.now(),
    },
    keyA,
  );
  t.node.submitTransaction(tx, "local");
  mineNext(t.node, addrC);
  return account;
}

/** MetaMask's speed-up and cancel rate: 10% more per gas, rounded up (the node's minimum bump). */
export const bumped = (price: bigint): bigint => (price * 11n + 9n) / 10n;
