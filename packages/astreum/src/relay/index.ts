// Public API of the relay subsystem.
export {
  addressKey,
  ipv4FromBytes,
  ipv4ToBytes,
  ipv6FromBytes,
  ipv6ToBytes,
  normalizeHost,
  type PeerAddress,
  parseSeed,
  seedList,
  seedOption,
  subnetKey,
} from "./address.js";
export { type OpenedBody, openBody, sealBody } from "./cipher.js";
export {
  CHACHA_NONCE_BYTES,
  CHACHA_TAG_BYTES,
  DEFAULT_INCOMING_PORT,
  DEFAULT_MAX_PEERS_PER_IP,
  DEFAULT_MAX_PEERS_PER_SUBNET,
  DEFAULT_SEED,
  HEADER_BYTES,
  MAX_UDP_PAYLOAD,
  MessageType,
  NORMAL_OVERHEAD_BYTES,
  PING_BYTES,
  POW_NONCE_BYTES,
  PROVIDER_CONTACT_BYTES,
  PUBLIC_KEY_BYTES,
  QUEUE_ITEM_OVERHEAD,
  REFERENCE_READ_SIZE,
  ROUTE_BUCKET_SIZE,
  ROUTE_BUCKETS,
  Topic,
} from "./constants.js";
export {
  encodeHandshakeDatagram,
  encodeNormalDatagram,
  type HandshakeDatagram,
  type NormalDatagram,
} from "./datagram.js";
export {
  DecryptionError,
  InvalidAddressError,
  InvalidPeerKeyError,
  MessageDecodeError,
  RelayError,
  RelayNotStartedError,
} from "./errors.js";
export { RelayEventEmitter, type RelayEvents } from "./events.js";
export { difficultyForPressure, IncomingQueue, type OfferResult, type QueueItem } from "./incoming-queue.js";
export { ed25519PublicKey, type RelayKeyPair, relayKeyPair, sharedKey } from "./keys.js";
export { decodeMessage, encodeMessage, type RelayMessage } from "./message.js";
export { type ExchangeStats, ObjectExchange } from "./object-exchange.js";
export {
  decodeContact,
  decodeFound,
  decodeObjectRequest,
  decodeObjectResponse,
  decodePaymentRequired,
  encodeContact,
  encodeFoundAtom,
  encodeFoundList,
  encodeObjectRequest,
  encodeObjectResponse,
  encodePaymentRequired,
  type ObjectRequest,
  ObjectRequestCode,
  type ObjectResponse,
  ObjectResponseCode,
  type PaymentRequired,
  type ProviderContact,
} from "./object-messages.js";
export { Peer } from "./peer.js";
export {
  type AdmissionHost,
  type AdmissionStats,
  PeerAdmission,
  PROBE_TIMEOUT_MS,
} from "./peer-admission.js";
export { decodePing, encodePing, type Ping } from "./ping.js";
export { addPow, addPowAsync, checkPow, leadingZeroBits } from "./pow.js";
export { ProviderIndex } from "./provider-index.js";
export { KeyedRateLimit, KeyedTokenBucket, TokenBucket } from "./rate-limit.js";
export { RelayNode, type RelayNodeOptions } from "./relay-node.js";
export { ReplayGuard } from "./replay-guard.js";
export { compareDistance, Route, sharedPrefixBits } from "./route.js";
export {
  decodeRouteRequest,
  decodeRouteResponse,
  encodeRouteRequest,
  encodeRouteResponse,
  RouteId,
} from "./route-messages.js";
export { DROP_REASONS, type DropReason, emptyStats, type RelayStats, totalDropped } from "./stats.js";
