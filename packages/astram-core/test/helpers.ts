import {
  addressFromPrivateKey,
  assembleBlock,
  type Block,
  type BlockHeader,
  cappedReward,
  createCoinbase,
  hexToBytes,
  NETWORKS,
  searchNonce,
  type Transaction,
  VerifyError,
} from "astram-core";
import { MemoryChain } from "astram-core/testing";
import { expect } from "vitest";

export const keyA = hexToBytes("00".repeat(31) + "01");
export const keyB = hexToBytes("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
export const addrA = addressFromPrivateKey(keyA);
export const addrB = addressFromPrivateKey(keyB);
export const FEE = 10n ** 15n;

/** A devnet chain where A has mined `blocks` blocks (so A owns spendable coinbases). */
export function fundedChain(blocks = 3): MemoryChain {
  const chain = new MemoryChain(NETWORKS.devnet);
  for (let i = 0; i < blocks; i++) chain.mine({ miner: addrA });
  return chain;
}

/** Mines a block with explicit transactions (coinbase included) and header overrides. */
export function mineCustom(
  chain: MemoryChain,
  txs: Transaction[],
  over: Partial<Omit<BlockHeader, "merkleRoot" | "nonce">> = {},
): Block {
  const template = assembleBlock(
    {
      index: chain.blocks.length,
      previousHash: chain.tip.hash,
      timestamp: chain.tip.header.timestamp + chain.params.targetSpacing,
      nonce: 0n,
      difficulty: chain.nextDifficulty(),
      ...over,
    },
    txs,
  );
  const found = searchNonce(template.header)!;
  return { header: { ...template.header, nonce: found.nonce }, transactions: txs, hash: found.hash };
}

export function coinbaseFor(
  chain: MemoryChain,
  extra = 0n,
  timestamp = chain.tip.header.timestamp + 10,
): Transaction {
  return createCoinbase([{ to: addrA, amount: cappedReward(chain.blocks.length) + extra }], timestamp);
}

/** Asserts fn throws a VerifyError with this code, and returns it. */
export function expectVerifyError(fn: () => unknown, code: string): VerifyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VerifyError);
    expect((e as VerifyError).code).toBe(code);
    return e as VerifyError;
  }
  throw new Error(`expected VerifyError ${code}, nothing was thrown`);
}
