// The message header (facts §3.2): type(1) ‖ sender public key(32) ‖ incoming port(2, BE) ‖ body.
// A handshake's body is plaintext (empty in 0.4.0); a normal message's body is encrypted
// (cipher.ts). Port 0 on the wire means "absent".
import { HEADER_BYTES, MessageType, PUBLIC_KEY_BYTES } from "./constants.js";
import { MessageDecodeError } from "./errors.js";

export interface RelayMessage {
  handshake: boolean;
  senderPublicKey: Uint8Array;
  /** The sender's listening UDP port, or null when the header says 0. */
  incomingPort: number | null;
  body: Uint8Array;
}

export function encodeMessage(m: RelayMessage): Uint8Array {
  if (m.senderPublicKey.length !== PUBLIC_KEY_BYTES)
    throw new MessageDecodeError(`sender public key must be ${PUBLIC_KEY_BYTES} bytes`);
  const port = m.incomingPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new MessageDecodeError(`bad port ${port}`);
  const out = new Uint8Array(HEADER_BYTES + m.body.length);
  out[0] = m.handshake ? MessageType.HANDSHAKE : MessageType.NORMAL;
  out.set(m.senderPublicKey, 1);
  out[33] = port >> 8;
  out[34] = port & 0xff;
  out.set(m.body, HEADER_BYTES);
  return out;
}

/** Decodes a header (the datagram without its PoW nonce). The parts are views into `bytes`. */
export function decodeMessage(bytes: Uint8Array): RelayMessage {
  if (bytes.length < HEADER_BYTES) throw new MessageDecodeError("missing header bytes");
  const type = bytes[0]!;
  if (type !== MessageType.NORMAL && type !== MessageType.HANDSHAKE)
    throw new MessageDecodeError(`unknown message type ${type}`);
  const port = (bytes[33]! << 8) | bytes[34]!;
  const body = bytes.subarray(HEADER_BYTES);
  if (type === MessageType.NORMAL && body.length === 0)
    throw new MessageDecodeError("normal message without a body");
  return {
    handshake: type === MessageType.HANDSHAKE,
    senderPublicKey: bytes.subarray(1, 1 + PUBLIC_KEY_BYTES),
    incomingPort: port === 0 ? null : port,
    body,
  };
}
