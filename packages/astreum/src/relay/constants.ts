// Wire constants of the 0.4.0 relay protocol (facts §3, §9.1) and the seed's defaults.

/** First header byte. */
export const MessageType = { NORMAL: 0, HANDSHAKE: 1 } as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** First plaintext byte of a normal message. */
export const Topic = {
  PING: 0,
  OBJECT_REQUEST: 1,
  OBJECT_RESPONSE: 2,
  ROUTE_REQUEST: 3,
  ROUTE_RESPONSE: 4,
  TRANSACTION: 5,
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

export const POW_NONCE_BYTES = 8;
export const PUBLIC_KEY_BYTES = 32;
/** type(1) ‖ sender public key(32) ‖ incoming port(2). */
export const HEADER_BYTES = 1 + PUBLIC_KEY_BYTES + 2;
export const CHACHA_NONCE_BYTES = 12;
export const CHACHA_TAG_BYTES = 16;
/** Bytes a normal datagram adds around its content: PoW nonce, header, ChaCha nonce, tag, topic. */
export const NORMAL_OVERHEAD_BYTES =
  POW_NONCE_BYTES + HEADER_BYTES + CHACHA_NONCE_BYTES + CHACHA_TAG_BYTES + 1;

export const PING_BYTES = 34;
export const PROVIDER_CONTACT_BYTES = 38;

export const ROUTE_BUCKETS = 256;
export const ROUTE_BUCKET_SIZE = 16;

/** Bytes the incoming queue accounts per item on top of the datagram. */
export const QUEUE_ITEM_OVERHEAD = 6;

/** The largest UDP payload over IPv4 (what a datagram can carry at all). */
export const MAX_UDP_PAYLOAD = 65_507;
/** The reference's receive size: reference nodes read at most this many bytes of a datagram. */
export const REFERENCE_READ_SIZE = 4096;

export const DEFAULT_INCOMING_PORT = 52_780;
export const DEFAULT_SEED = "bootstrap.astreum.org:52780";

/** Route diversity caps: proven peers per IP address, and per /24 (IPv4) or /64 (IPv6) network. */
export const DEFAULT_MAX_PEERS_PER_IP = 8;
export const DEFAULT_MAX_PEERS_PER_SUBNET = 32;
