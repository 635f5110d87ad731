import { sha256d } from "../crypto/hash.js";
import { bytesToHex } from "../crypto/hex.js";
import { type BlockHeader, HEADER_NONCE_OFFSET, headerHashInput } from "../primitives/header.js";
import { meetsDifficultyBytes } from "./pow.js";

/**
 * A plain single-thread nonce search over the fixint header, patching the 8-byte nonce in place
 * instead of re-encoding. Good for genesis, tests and small difficulties; the node's miner has a
 * faster kernel.
 */
export function searchNonce(
  header: BlockHeader,
  opts: { start?: bigint; count?: number } = {},
): { nonce: bigint; hash: string } | undefined {
  const input = headerHashInput(header);
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const offset = input.length - 12; // nonce (8) then difficulty (4) end the encoding
  if (input.length === 172 && offset !== HEADER_NONCE_OFFSET) throw new Error("unexpected header layout");
  let nonce = opts.start ?? 0n;
  const count = opts.count ?? Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < count; i++, nonce = (nonce + 1n) & 0xffffffffffffffffn) {
    view.setBigUint64(offset, nonce, true);
    const digest = sha256d(input);
    if (meetsDifficultyBytes(digest, header.difficulty)) return { nonce, hash: bytesToHex(digest) };
  }
  return undefined;
}
