import { hexToBytes } from "../crypto/hex.js";

/** True when the hex hash starts with `difficulty` '0' digits. */
export function meetsDifficulty(hashHex: string, difficulty: number): boolean {
  if (difficulty > hashHex.length) return false;
  for (let i = 0; i < difficulty; i++) if (hashHex.charCodeAt(i) !== 48) return false;
  return true;
}

/** The same test on raw digest bytes (the miner's form): floor(d/2) zero bytes, then a zero nibble if d is odd. */
export function meetsDifficultyBytes(hash: Uint8Array, difficulty: number): boolean {
  if (difficulty > hash.length * 2) return false;
  const full = difficulty >> 1;
  for (let i = 0; i < full; i++) if (hash[i] !== 0) return false;
  return (difficulty & 1) === 0 || (hash[full]! & 0xf0) === 0;
}

/** Work of one block: 16^difficulty, exact. */
export function blockWork(difficulty: number): bigint {
  return 1n << BigInt(4 * difficulty);
}

export function hashToBytes(hashHex: string): Uint8Array {
  return hexToBytes(hashHex);
}
