import {
  BytesExpr,
  decodeContact,
  decodeFound,
  decodeMessage,
  decodeObjectRequest,
  decodeObjectResponse,
  decodePaymentRequired,
  decodePing,
  decodeRouteRequest,
  decodeRouteResponse,
  deserializeExpr,
  encodeContact,
  encodeFoundAtom,
  encodeFoundList,
  encodeMessage,
  encodeObjectRequest,
  encodeObjectResponse,
  encodePaymentRequired,
  encodePing,
  encodeRouteRequest,
  encodeRouteResponse,
  MachineError,
  ObjectRequestCode,
  ObjectResponseCode,
  POW_NONCE_BYTES,
  parseAll,
  RelayError,
  RouteId,
  serializeExpr,
  Topic,
} from "astreum";
import type { FuzzTarget } from "./target.js";

/**
 * What the relay does with an authenticated message's content, decoder by decoder, as its
 * dispatch (relay-node.ts) and object exchange (object-exchange.ts) do: every decode, no sockets.
 */
function dispatch(topic: number, content: Uint8Array, family: 4 | 6): void {
  switch (topic) {
    case Topic.PING:
      decodePing(content);
      return;
    case Topic.OBJECT_REQUEST: {
      const r = decodeObjectRequest(content);
      if (r.code === ObjectRequestCode.PUT) decodeContact(r.data);
      return;
    }
    case Topic.OBJECT_RESPONSE: {
      const r = decodeObjectResponse(content);
      if (r.code === ObjectResponseCode.FOUND) {
        const atoms = decodeFound(r.data).atoms.map((a) => deserializeExpr(a));
        atoms[0]!.hash();
      } else if (r.code === ObjectResponseCode.PROVIDER) decodeContact(r.data);
      else decodePaymentRequired(r.data);
      return;
    }
    case Topic.ROUTE_REQUEST:
      decodeRouteRequest(content);
      return;
    case Topic.ROUTE_RESPONSE:
      decodeRouteResponse(content, family);
      return;
    default:
      return;
  }
}

const KEY = new Uint8Array(32).fill(7);
const ID = new Uint8Array(32).fill(9);
const contact = { publicKey: KEY, host: "127.0.0.1", port: 7373 };

/** PoW nonce ‖ header ‖ body, with a normal message's body as the plaintext topic ‖ content. */
function datagram(handshake: boolean, body: Uint8Array): Uint8Array {
  const message = encodeMessage({ handshake, senderPublicKey: KEY, incomingPort: 7373, body });
  const out = new Uint8Array(POW_NONCE_BYTES + message.length);
  out.set(message, POW_NONCE_BYTES);
  return out;
}
const normal = (topic: number, content: Uint8Array) => datagram(false, Uint8Array.of(topic, ...content));

/**
 * Astreum relay datagrams: nonce(8) ‖ type ‖ sender key ‖ port ‖ body. The PoW check and the
 * ChaCha20-Poly1305 layer are left out (a mutated input would never pass them), so a normal
 * message's body stands for the decrypted plaintext: topic(1) ‖ content. Only RelayError (and
 * MachineError from atoms that do not deserialize) may come out.
 */
export const relayDatagramTarget: FuzzTarget = {
  name: "relay-datagram",
  description:
    "astreum relay: message header, then every topic's content decoder (ping, objects, routes, atoms)",
  coverage: /astreum\/(dist|src)\/(relay|machine\/atom|machine\/expr)/,
  maxLength: 2048,
  dictionary: [...[[0], [1], [2], [3], [4], [5], [0, 0, 0, 0x20]].map((b) => Uint8Array.from(b)), KEY, ID],
  seeds() {
    const atom = serializeExpr(BytesExpr.fromInt(42));
    const list = parseAll("(1 (2 x))")[0]!;
    const objects = [
      encodeObjectRequest({
        code: ObjectRequestCode.GET,
        atomId: ID,
        payloadType: 1,
        data: new Uint8Array(0),
      }),
      encodeObjectRequest({
        code: ObjectRequestCode.PUT,
        atomId: ID,
        payloadType: 2,
        data: encodeContact(contact),
      }),
    ];
    const responses = [
      encodeObjectResponse({ code: ObjectResponseCode.FOUND, atomId: ID, data: encodeFoundAtom(atom) }),
      encodeObjectResponse({
        code: ObjectResponseCode.FOUND,
        atomId: ID,
        data: encodeFoundList([serializeExpr(list), atom]),
      }),
      encodeObjectResponse({ code: ObjectResponseCode.PROVIDER, atomId: ID, data: encodeContact(contact) }),
      encodeObjectResponse({
        code: ObjectResponseCode.PAYMENT_REQUIRED,
        atomId: ID,
        data: encodePaymentRequired({
          paymentPublicKey: KEY,
          sizeEstimate: 1000n,
          baseFee: 5n,
          hint: contact,
        }),
      }),
    ];
    return [
      datagram(true, new Uint8Array(0)),
      normal(Topic.PING, encodePing({ isValidator: true, difficulty: 3, latestBlockHash: ID })),
      normal(Topic.PING, encodePing({ isValidator: false, difficulty: 1, latestBlockHash: null })),
      ...objects.map((c) => normal(Topic.OBJECT_REQUEST, c)),
      ...responses.map((c) => normal(Topic.OBJECT_RESPONSE, c)),
      normal(Topic.ROUTE_REQUEST, encodeRouteRequest(RouteId.VALIDATION)),
      normal(Topic.ROUTE_RESPONSE, encodeRouteResponse([{ host: "10.0.0.1", port: 7373 }], 4)),
      normal(Topic.TRANSACTION, ID),
    ];
  },
  run(input) {
    if (input.length <= POW_NONCE_BYTES) return;
    const m = decodeMessage(input.subarray(POW_NONCE_BYTES));
    if (m.handshake || m.body.length === 0) return;
    // The address family of the exchange (IPv4 or IPv6 socket) comes from the nonce's low bit.
    dispatch(m.body[0]!, m.body.subarray(1), input[0]! & 1 ? 6 : 4);
  },
  expected: (e) => e instanceof RelayError || e instanceof MachineError,
};
