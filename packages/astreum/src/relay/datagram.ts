// Whole datagrams, outermost first: PoW nonce(8) ‖ header ‖ body (facts §3.2). For tools and tests
// that speak the protocol without a RelayNode (the node builds the same bytes).
import { sealBody } from "./cipher.js";
import { encodeMessage } from "./message.js";
import { addPow } from "./pow.js";

export interface HandshakeDatagram {
  senderPublicKey: Uint8Array;
  incomingPort: number | null;
  /** Plaintext content (empty in 0.4.0). */
  content?: Uint8Array;
  difficulty?: number;
}

export interface NormalDatagram {
  senderPublicKey: Uint8Array;
  incomingPort: number | null;
  /** The shared key with the receiver. */
  sharedKey: Uint8Array;
  topic: number;
  content: Uint8Array;
  difficulty?: number;
}

export function encodeHandshakeDatagram(d: HandshakeDatagram): Uint8Array {
  const message = encodeMessage({
    handshake: true,
    senderPublicKey: d.senderPublicKey,
    incomingPort: d.incomingPort,
    body: d.content ?? new Uint8Array(0),
  });
  return addPow(message, d.difficulty ?? 1);
}

export function encodeNormalDatagram(d: NormalDatagram): Uint8Array {
  const message = encodeMessage({
    handshake: false,
    senderPublicKey: d.senderPublicKey,
    incomingPort: d.incomingPort,
    body: sealBody(d.sharedKey, d.topic, d.content),
  });
  return addPow(message, d.difficulty ?? 1);
}
