// The node's configuration (facts §7): the seed's snake_case keys, each with its default, type check
// and derivations. `resolveConfig` validates, fills in defaults and derived entries, and returns the
// same object (so `node.config === config`); a bad value raises ConfigError naming the key.
// Numbers may be numbers or numeric strings; booleans are never numbers ([DECIDE] in facts §7).
// Hex values (keys, block hashes) are accepted with or without 0x and stored as lowercase hex.

import type { KeyObject } from "node:crypto";
import { mkdirSync } from "node:fs";
import { publicKeyOf, secretKeyBytes } from "./consensus/ed25519.js";
import { ConfigError, intOption, numberOption, rejectUnknownKeys, stringOption } from "./options.js";
import { seedList, seedOption } from "./relay/address.js";
import {
  DEFAULT_INCOMING_PORT,
  DEFAULT_MAX_PEERS_PER_IP,
  DEFAULT_MAX_PEERS_PER_SUBNET,
  DEFAULT_SEED,
} from "./relay/constants.js";
import { COLD_STORAGE_SCALES } from "./storage/cold/layout.js";

export type HexKey = string | Uint8Array;

/** What `new Node(config)` accepts: any subset of the seed's keys, plus TypeScript-only options. */
export interface NodeConfig {
  /** "main" or "test" (default "test"); other values are ignored and the chain follows chain_id. */
  chain?: string;
  /** 0 = test, 1 = main (default: from chain). */
  chain_id?: number | string;
  hot_storage_limit?: number | string;
  cold_storage_limit?: number | string;
  cold_storage_path?: string | null;
  cold_storage_scale?: string;
  atom_fetch_interval?: number | string;
  atom_fetch_retries?: number | string;
  /** Seconds between verification rounds (default: peer_timeout_interval). */
  verify_blockchain_interval?: number | string;
  verification_max_stale_seconds?: number | string;
  verification_max_future_skew?: number | string;
  /** 32-byte block hash (hex) to start from. */
  latest_block_hash?: string | null;
  /** 32-byte block hash (hex) trusted as verified. */
  verified_up_to?: string | null;
  logging_enabled?: boolean;
  logging_retention_days?: number | string;
  verbose?: unknown;
  relay_secret_key?: HexKey | null;
  relay_payment_secret_key?: HexKey | KeyObject | null;
  validation_secret_key?: HexKey | KeyObject | null;
  use_ipv6?: unknown;
  incoming_port?: number | string;
  default_seed?: string | null;
  additional_seeds?: readonly string[];
  peer_timeout?: number | string;
  peer_timeout_interval?: number | string;
  bootstrap_retry_interval?: number | string;
  storage_index_interval?: number | string;
  storage_request_minimum_price?: number | string;
  storage_request_price_interval?: number | string;
  fair_use_limit?: number | string;
  fair_use_ratio?: number | string;
  incoming_queue_size_limit?: number | string;
  incoming_queue_timeout?: number | string;

  /** TypeScript-only: the address the relay binds (default 0.0.0.0, or :: with use_ipv6). */
  bindAddress?: string;
  /** TypeScript-only: the IPv4 address put in provider contacts. */
  advertiseAddress?: string;
  /** TypeScript-only: largest datagram sent or accepted. */
  maxDatagramSize?: number;
  /** TypeScript-only: fsync each level-0 cold file. */
  coldStorageFsync?: boolean;
  /** TypeScript-only: the log directory (default: the platform directory of the instance id). */
  loggingDirectory?: string;
  /** TypeScript-only: where `verbose` mirrors records (default "stdout", as the seed says). */
  loggingConsole?: "stdout" | "stderr";
  /**
   * TypeScript-only: where the node keeps its relay key, latest verified head and known peers
   * across restarts (`node-state.json`). Default: `cold_storage_path`; null = keep nothing.
   */
  stateDirectory?: string | null;
  /** TypeScript-only: proven peers per IP address the relay's route admits (default 8; 0 = no cap). */
  maxPeersPerIp?: number | string;
  /** TypeScript-only: the same per /24 (IPv4) or /64 (IPv6) network (default 32; 0 = no cap). */
  maxPeersPerSubnet?: number | string;
}

/** The configuration after resolveConfig: every key present, derived entries added. */
export interface ResolvedNodeConfig extends NodeConfig {
  chain: "main" | "test";
  chain_id: number;
  hot_storage_limit: number;
  cold_storage_limit: number;
  cold_storage_path: string | null;
  cold_storage_scale: "KB" | "MB" | "GB";
  cold_storage_base_size: number;
  atom_fetch_interval: number;
  atom_fetch_retries: number;
  verify_blockchain_interval: number;
  verification_max_stale_seconds: number;
  verification_max_future_skew: number;
  latest_block_hash: string | null;
  verified_up_to: string | null;
  logging_enabled: boolean;
  logging_retention_days: number;
  verbose: boolean;
  relay_secret_key: string | null;
  relay_payment_secret_key: string | null;
  relay_payment_public_key: string | null;
  relay_payment_public_key_bytes: Uint8Array | null;
  validation_secret_key: string | null;
  validation_public_key: string | null;
  validation_public_key_bytes: Uint8Array | null;
  use_ipv6: boolean;
  incoming_port: number;
  default_seed: string | null;
  additional_seeds: string[];
  peer_timeout: number;
  peer_timeout_interval: number;
  bootstrap_retry_interval: number;
  storage_index_interval: number;
  storage_request_minimum_price: number;
  storage_request_price_interval: number;
  fair_use_limit: number;
  fair_use_ratio: number;
  incoming_queue_size_limit: number;
  incoming_queue_timeout: number;
  stateDirectory: string | null;
  maxPeersPerIp: number;
  maxPeersPerSubnet: number;
  /** Set by connect(): the relay's X25519 public key. */
  relay_public_key?: string;
  relay_public_key_bytes?: Uint8Array;
}

/** Every seed key with its default (for the README and `--help`). */
export const CONFIG_DEFAULTS = {
  chain: "test",
  chain_id: 0,
  hot_storage_limit: 1_073_741_824,
  cold_storage_limit: 10_737_418_240,
  cold_storage_path: null,
  cold_storage_scale: "MB",
  atom_fetch_interval: 0.25,
  atom_fetch_retries: 8,
  verify_blockchain_interval: 10,
  verification_max_stale_seconds: 10,
  verification_max_future_skew: 2,
  latest_block_hash: null,
  verified_up_to: null,
  logging_enabled: true,
  logging_retention_days: 7,
  verbose: false,
  relay_secret_key: null,
  relay_payment_secret_key: null,
  validation_secret_key: null,
  use_ipv6: false,
  incoming_port: DEFAULT_INCOMING_PORT,
  default_seed: DEFAULT_SEED,
  additional_seeds: [] as string[],
  peer_timeout: 900,
  peer_timeout_interval: 10,
  bootstrap_retry_interval: 30,
  storage_index_interval: 600,
  storage_request_minimum_price: 1,
  storage_request_price_interval: 5,
  fair_use_limit: 1_048_576,
  fair_use_ratio: 0.5,
  incoming_queue_size_limit: 67_108_864,
  incoming_queue_timeout: 1,
} as const;

/** TypeScript-only keys of the node config. */
export const TS_ONLY_CONFIG_KEYS = [
  "bindAddress",
  "advertiseAddress",
  "maxDatagramSize",
  "coldStorageFsync",
  "loggingDirectory",
  "loggingConsole",
  "stateDirectory",
  "maxPeersPerIp",
  "maxPeersPerSubnet",
] as const;

/**
 * Every key a node config may hold: the seed's keys, the legacy aliases still read, the entries
 * resolveConfig and connect() derive (so a resolved config is accepted again), the TypeScript-only
 * keys. Anything else is refused with a ConfigError naming it.
 */
const NODE_CONFIG_KEYS: ReadonlySet<string> = new Set([
  ...Object.keys(CONFIG_DEFAULTS),
  "hot_storage_default_limit",
  "logging_retention",
  "retention_days",
  "default_seeds",
  "cold_storage_base_size",
  "relay_public_key",
  "relay_public_key_bytes",
  "relay_payment_public_key",
  "relay_payment_public_key_bytes",
  "validation_public_key",
  "validation_public_key_bytes",
  ...TS_ONLY_CONFIG_KEYS,
]);

/** Python truthiness for the keys the reference reads with bool(). */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (typeof v === "object" && v !== null) return Object.keys(v).length > 0 || !(v.constructor === Object);
  return Boolean(v);
}

/** A 32-byte hex value (with or without 0x); null when absent, null or "". */
export function hexBytes32(key: string, v: unknown): Uint8Array | null {
  if (v === undefined || v === null || v === "") return null;
  if (v instanceof Uint8Array) {
    if (v.length !== 32) throw new ConfigError(key, `expected 32 bytes, got ${v.length}`);
    return v;
  }
  if (typeof v !== "string") throw new ConfigError(key, `expected a hex string, got ${typeof v}`);
  const hex = v.replace(/\s+/g, "").replace(/^0x/i, "");
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new ConfigError(key, "not a hex string");
  if (hex.length !== 64) throw new ConfigError(key, `expected 32 bytes, got ${hex.length / 2}`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function ed25519Secret(key: string, v: unknown): Uint8Array | null {
  if (v === undefined || v === null || v === "") return null;
  if (typeof v === "object" && !(v instanceof Uint8Array) && (v as KeyObject).type !== undefined) {
    try {
      return secretKeyBytes(v as KeyObject);
    } catch (err) {
      throw new ConfigError(key, (err as Error).message);
    }
  }
  return hexBytes32(key, typeof v === "string" ? v.trim() : v);
}

/**
 * Validates `config` in place: defaults for absent keys, normalised values, derived entries
 * (chain and chain_id, cold_storage_base_size, the public keys of the Ed25519 secret keys). Returns
 * the same object. `warn` receives notes such as a cold storage directory that cannot be created.
 */
export function resolveConfig<T extends NodeConfig>(
  config: T,
  warn?: (msg: string) => void,
): T & ResolvedNodeConfig {
  const c = config as unknown as Record<string, unknown>;
  rejectUnknownKeys(c, NODE_CONFIG_KEYS, "Node config");
  const out: Record<string, unknown> = {};

  // chain / chain_id
  const chainGiven = c.chain === "main" || c.chain === "test" ? (c.chain as "main" | "test") : null;
  let chainId: number;
  if (c.chain_id === undefined || c.chain_id === null) chainId = chainGiven === "main" ? 1 : 0;
  else chainId = intOption(c, "chain_id", 0);
  out.chain = chainGiven ?? (chainId === 1 ? "main" : "test");
  out.chain_id = chainId;

  // storage
  const legacyHot = c.hot_storage_limit === undefined ? c.hot_storage_default_limit : c.hot_storage_limit;
  out.hot_storage_limit = intOption(
    { hot_storage_limit: legacyHot },
    "hot_storage_limit",
    CONFIG_DEFAULTS.hot_storage_limit,
  );
  out.cold_storage_limit = intOption(c, "cold_storage_limit", CONFIG_DEFAULTS.cold_storage_limit);
  const scaleRaw = c.cold_storage_scale;
  if (scaleRaw !== undefined && scaleRaw !== null && typeof scaleRaw !== "string")
    throw new ConfigError("cold_storage_scale", `expected a string, got ${typeof scaleRaw}`);
  const scale = ((scaleRaw as string | undefined) ?? "MB").trim().toUpperCase();
  if (!(scale in COLD_STORAGE_SCALES))
    throw new ConfigError("cold_storage_scale", `must be KB, MB or GB, got ${JSON.stringify(scaleRaw)}`);
  out.cold_storage_scale = scale;
  out.cold_storage_base_size = COLD_STORAGE_SCALES[scale as keyof typeof COLD_STORAGE_SCALES];
  let coldPath = stringOption(c, "cold_storage_path", null);
  if (coldPath !== null) {
    try {
      mkdirSync(coldPath, { recursive: true });
    } catch (err) {
      warn?.(`cold storage disabled: cannot create ${coldPath}: ${(err as Error).message}`);
      coldPath = null;
    }
  }
  out.cold_storage_path = coldPath;
  out.atom_fetch_interval = numberOption(c, "atom_fetch_interval", CONFIG_DEFAULTS.atom_fetch_interval);
  out.atom_fetch_retries = intOption(c, "atom_fetch_retries", CONFIG_DEFAULTS.atom_fetch_retries);

  // peers and timers
  out.peer_timeout = numberOption(c, "peer_timeout", CONFIG_DEFAULTS.peer_timeout, 0, true);
  out.peer_timeout_interval = numberOption(
    c,
    "peer_timeout_interval",
    CONFIG_DEFAULTS.peer_timeout_interval,
    0,
    true,
  );
  out.bootstrap_retry_interval = numberOption(
    c,
    "bootstrap_retry_interval",
    CONFIG_DEFAULTS.bootstrap_retry_interval,
    0,
    true,
  );
  out.storage_index_interval = numberOption(
    c,
    "storage_index_interval",
    CONFIG_DEFAULTS.storage_index_interval,
    0,
    true,
  );
  out.storage_request_minimum_price = intOption(c, "storage_request_minimum_price", 1);
  out.storage_request_price_interval = numberOption(c, "storage_request_price_interval", 5, 0, true);
  out.fair_use_limit = intOption(c, "fair_use_limit", CONFIG_DEFAULTS.fair_use_limit);
  out.fair_use_ratio = numberOption(c, "fair_use_ratio", CONFIG_DEFAULTS.fair_use_ratio);
  out.incoming_queue_size_limit = intOption(
    c,
    "incoming_queue_size_limit",
    CONFIG_DEFAULTS.incoming_queue_size_limit,
  );
  out.incoming_queue_timeout = numberOption(
    c,
    "incoming_queue_timeout",
    CONFIG_DEFAULTS.incoming_queue_timeout,
  );

  // consensus
  out.verify_blockchain_interval = numberOption(
    c,
    "verify_blockchain_interval",
    out.peer_timeout_interval as number,
    0,
    true,
  );
  out.verification_max_stale_seconds = intOption(
    c,
    "verification_max_stale_seconds",
    10,
    Number.MIN_SAFE_INTEGER,
  );
  out.verification_max_future_skew = intOption(c, "verification_max_future_skew", 2, Number.MIN_SAFE_INTEGER);
  for (const key of ["latest_block_hash", "verified_up_to"] as const) {
    const b = hexBytes32(key, c[key]);
    out[key] = b === null ? null : `0x${hex(b)}`;
  }

  // logging
  if (c.logging_enabled !== undefined && c.logging_enabled !== null && typeof c.logging_enabled !== "boolean")
    throw new ConfigError("logging_enabled", `expected a boolean, got ${typeof c.logging_enabled}`);
  out.logging_enabled = c.logging_enabled ?? true;
  const retentionKey = ["logging_retention_days", "logging_retention", "retention_days"].find(
    (k) => c[k] !== undefined && c[k] !== null,
  );
  out.logging_retention_days =
    retentionKey === undefined ? 7 : intOption({ [retentionKey]: c[retentionKey] }, retentionKey, 7);
  out.verbose = truthy(c.verbose);
  if (c.loggingDirectory !== undefined && typeof c.loggingDirectory !== "string")
    throw new ConfigError("loggingDirectory", "expected a directory path");
  if (c.loggingConsole !== undefined && c.loggingConsole !== "stdout" && c.loggingConsole !== "stderr")
    throw new ConfigError("loggingConsole", 'expected "stdout" or "stderr"');

  // keys
  const relay = hexBytes32("relay_secret_key", c.relay_secret_key);
  out.relay_secret_key = relay === null ? null : hex(relay);
  for (const [key, pub] of [
    ["relay_payment_secret_key", "relay_payment_public_key"],
    ["validation_secret_key", "validation_public_key"],
  ] as const) {
    const secret = ed25519Secret(key, c[key]);
    out[key] = secret === null ? null : hex(secret);
    const p = secret === null ? null : publicKeyOf(secret);
    out[pub] = p === null ? null : hex(p);
    out[`${pub}_bytes`] = p;
  }

  // communication
  out.use_ipv6 = truthy(c.use_ipv6);
  const port = intOption(c, "incoming_port", DEFAULT_INCOMING_PORT);
  if (port > 65_535) throw new ConfigError("incoming_port", "must be at most 65535");
  out.incoming_port = port;
  if ("default_seeds" in c) throw new ConfigError("default_seeds", "no longer supported; use default_seed");
  out.default_seed = seedOption("default_seed", c.default_seed, DEFAULT_SEED);
  out.additional_seeds = seedList("additional_seeds", c.additional_seeds);
  out.maxPeersPerIp = intOption(c, "maxPeersPerIp", DEFAULT_MAX_PEERS_PER_IP);
  out.maxPeersPerSubnet = intOption(c, "maxPeersPerSubnet", DEFAULT_MAX_PEERS_PER_SUBNET);

  // state across restarts: explicit directory, else the cold storage directory; null = none
  if (c.stateDirectory !== undefined && c.stateDirectory !== null && typeof c.stateDirectory !== "string")
    throw new ConfigError("stateDirectory", "expected a directory path or null");
  out.stateDirectory =
    c.stateDirectory === undefined ? coldPath : c.stateDirectory === "" ? null : c.stateDirectory;

  Object.assign(c, out);
  return config as T & ResolvedNodeConfig;
}
