// The ping payload (facts §3.7): is_validator(1: 0|1) ‖ difficulty(1: 1…255) ‖ latest block hash(32;
// all zeros = none).
import { PING_BYTES } from "./constants.js";
import { MessageDecodeError } from "./errors.js";

export interface Ping {
  isValidator: boolean;
  /** The sender's required PoW difficulty for datagrams sent to it. */
  difficulty: number;
  latestBlockHash: Uint8Array | null;
}

export function encodePing(p: Ping): Uint8Array {
  if (!Number.isInteger(p.difficulty) || p.difficulty < 1 || p.difficulty > 255)
    throw new MessageDecodeError(`ping difficulty must be 1…255, got ${p.difficulty}`);
  if (p.latestBlockHash !== null && p.latestBlockHash.length !== 32)
    throw new MessageDecodeError("ping block hash must be 32 bytes");
  const out = new Uint8Array(PING_BYTES);
  out[0] = p.isValidator ? 1 : 0;
  out[1] = p.difficulty;
  if (p.latestBlockHash !== null) out.set(p.latestBlockHash, 2);
  return out;
}

export function decodePing(bytes: Uint8Array): Ping {
  if (bytes.length !== PING_BYTES)
    throw new MessageDecodeError(`ping payload of ${bytes.length} bytes, not 34`);
  const flag = bytes[0]!;
  if (flag > 1) throw new MessageDecodeError(`ping validator flag ${flag}`);
  if (bytes[1] === 0) throw new MessageDecodeError("ping difficulty 0");
  const hash = bytes.slice(2);
  return {
    isValidator: flag === 1,
    difficulty: bytes[1]!,
    latestBlockHash: hash.every((b) => b === 0) ? null : hash,
  };
}
