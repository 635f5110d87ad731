import { sha256d } from "../crypto/hash.js";
import { bytesToHex, hexToBytes } from "../crypto/hex.js";

const ZERO32 = new Uint8Array(32);

function leaf(txid: string): Uint8Array {
  try {
    const b = hexToBytes(txid);
    return b.length === 32 ? b : ZERO32;
  } catch {
    return ZERO32;
  }
}

/**
 * Merkle root over txids in block order: pairs hashed with sha256d, an odd last node duplicated;
 * a single txid is its own root and an empty list gives sha256d(""). Leaves that are not 32-byte
 * hex count as zero bytes (the reference's rule); validation rejects such txids separately.
 */
export function merkleRoot(txids: readonly string[]): string {
  if (txids.length === 0) return bytesToHex(sha256d(new Uint8Array(0)));
  let level = txids.map(leaf);
  const pair = new Uint8Array(64);
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1]!);
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      pair.set(level[i]!, 0);
      pair.set(level[i + 1]!, 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  return bytesToHex(level[0]!);
}
