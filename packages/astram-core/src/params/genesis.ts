import { MIN_BLOCK_TIMESTAMP } from "../consensus/params.js";
import { meetsDifficulty } from "../consensus/pow.js";
import { blockReward } from "../consensus/reward.js";
import { keccak256 } from "../crypto/hash.js";
import { bytesToHex } from "../crypto/hex.js";
import { assembleBlock, type Block } from "../primitives/block.js";
import { blockHeaderHash } from "../primitives/header.js";
import { createCoinbase } from "../primitives/transaction.js";

export const GENESIS_TIMESTAMP = MIN_BLOCK_TIMESTAMP;
export const GENESIS_DIFFICULTY = 1;
export const ZERO_HASH = "0".repeat(64);

/**
 * The genesis coinbase pays reward(0) to an address derived from the network id with no known
 * private key: keccak256("Astram genesis: <network id>")[12..]. So each network has its own genesis
 * and its 8 ASRM are unspendable.
 */
export function genesisPayoutAddress(networkId: string): string {
  return "0x" + bytesToHex(keccak256(new TextEncoder().encode(`Astram genesis: ${networkId}`)).subarray(12));
}

/** The genesis block of a network for a given nonce (hash computed, PoW not checked). */
export function buildGenesisBlock(networkId: string, nonce: bigint): Block {
  const coinbase = createCoinbase(
    [{ to: genesisPayoutAddress(networkId), amount: blockReward(0) }],
    GENESIS_TIMESTAMP,
  );
  return assembleBlock(
    {
      index: 0,
      previousHash: ZERO_HASH,
      timestamp: GENESIS_TIMESTAMP,
      nonce,
      difficulty: GENESIS_DIFFICULTY,
    },
    [coinbase],
  );
}

/** Finds the first nonce that satisfies the genesis difficulty (about 16 tries at difficulty 1). */
export function mineGenesisNonce(networkId: string): bigint {
  const base = buildGenesisBlock(networkId, 0n);
  for (let nonce = 0n; ; nonce++) {
    const header = { ...base.header, nonce };
    if (meetsDifficulty(blockHeaderHash(header), GENESIS_DIFFICULTY)) return nonce;
  }
}
