import { homedir } from "node:os";
import { join } from "node:path";
import { type NetworkName, parseAddress, parseNetworkName } from "astram-core";
import { parseAdminPassword } from "../admin/credentials.js";

/** Resolved node settings (after defaults < file < environment < flags). */
export interface NodeSettings {
  network: NetworkName;
  networkId: string | undefined;
  chainId: number | undefined;
  dataDir: string;
  p2pBindAddr: string;
  p2pPort: number;
  /** The P2P port peers should dial (behind port forwarding or a relay); 0 = the bound port. */
  p2pAdvertisePort: number;
  httpBindAddr: string;
  httpPort: number;
  ethRpcBindAddr: string;
  ethRpcPort: number;
  /** The operators' admin interface (JSON-RPC with Basic auth); never the public API's port. */
  adminBindAddr: string;
  adminPort: number;
  /** "user:password" or a password for the user `admin`; unset = a `.cookie` in the data directory. */
  adminPassword: string | undefined;
  /** Read-only public API port; 0 = off. */
  publicRpcPort: number;
  publicRpcBindAddr: string;
  dnsServerUrl: string;
  dnsRegister: boolean;
  bootstrapPeers: string[];
  mine: boolean;
  minerAddress: string | undefined;
  minerThreads: number;
  /** Threads that verify signatures of blocks ahead of the block checks while syncing; 0 = none. */
  verifyThreads: number;
  gpu: boolean;
  /** Hold mining to the network's target block time (devnet convenience). */
  minerPace: boolean;
  logLevel: string;
  /** Allow peers on loopback/private addresses (local networks and tests). */
  allowPrivatePeers: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "BAD_CONFIG";
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

type Parser<T> = (raw: string, key: string) => T;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const port: Parser<number> = (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 0 || n > 65535)
    throw new ConfigError(key, `"${raw}" is not a port (0-65535)`);
  return n;
};
const bool: Parser<boolean> = (raw, key) => {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(key, `"${raw}" is not a boolean (true/false, yes/no, 1/0, on/off)`);
};
const host: Parser<string> = (raw, key) => {
  const v = raw.trim();
  if (!/^[0-9A-Za-z.:\-[\]]+$/.test(v)) throw new ConfigError(key, `"${raw}" is not a host or IP address`);
  return v;
};
const url: Parser<string> = (raw, key) => {
  const v = raw.trim();
  if (v === "") return v;
  try {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError(key, `"${raw}" is not an http(s) URL`);
  }
  return v;
};
const threads: Parser<number> = (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 1024)
    throw new ConfigError(key, `"${raw}" is not a thread count (1-1024)`);
  return n;
};
const verifyThreads: Parser<number> = (raw, key) => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 64)
    throw new ConfigError(key, `"${raw}" is not a thread count (0-64; 0 = verify on the main thread)`);
  return n;
};
const chainId: Parser<number | undefined> = (raw, key) => {
  if (raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || !Number.isSafeInteger(n))
    throw new ConfigError(key, `"${raw}" is not a positive integer`);
  return n;
};
const network: Parser<NetworkName> = (raw, key) => {
  try {
    return parseNetworkName(raw);
  } catch {
    throw new ConfigError(key, `"${raw}" is not a network (accepted: main, test, dev)`);
  }
};
const address: Parser<string | undefined> = (raw, key) => {
  if (raw.trim() === "") return undefined;
  try {
    return parseAddress(raw);
  } catch (e) {
    throw new ConfigError(key, (e as Error).message);
  }
};
const logLevel: Parser<string> = (raw, key) => {
  const v = raw.trim().toLowerCase();
  if (!LOG_LEVELS.includes(v))
    throw new ConfigError(key, `"${raw}" is not a log level (${LOG_LEVELS.join(", ")})`);
  return v;
};
const peers: Parser<string[]> = (raw, key) => {
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of list) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[0-9A-Za-z.-]+):\d{1,5}$/.test(p))
      throw new ConfigError(key, `"${p}" is not host:port`);
  }
  return list;
};
const adminPassword: Parser<string | undefined> = (raw, key) => {
  if (raw === "") return undefined;
  try {
    parseAdminPassword(raw);
  } catch (e) {
    throw new ConfigError(
      key,
      `${(e as Error).message} (expected user:password or a password for user admin)`,
    );
  }
  return raw;
};
const path: Parser<string> = (raw) => {
  const v = raw.trim();
  return v.startsWith("~") ? join(homedir(), v.slice(1)) : v;
};

interface KeySpec {
  /** Setting name in NodeSettings. */
  readonly field: keyof NodeSettings;
  readonly parse: Parser<unknown>;
  readonly help: string;
  /** Extra environment variable names honoured besides ASTRAM_<KEY>. */
  readonly env?: readonly string[];
}

/**
 * Every key of `nodeSettings.conf`. The same KEY is read from the environment as ASTRAM_<KEY>
 * (and the spec's ASTRAM_NETWORK / ASTRAM_NETWORK_ID / ASTRAM_CHAIN_ID).
 */
export const CONFIG_KEYS: Readonly<Record<string, KeySpec>> = {
  NETWORK: { field: "network", parse: network, help: "main, test or dev", env: ["ASTRAM_NETWORK"] },
  NETWORK_ID: {
    field: "networkId",
    parse: (r) => r.trim() || undefined,
    help: "custom network id",
    env: ["ASTRAM_NETWORK_ID"],
  },
  CHAIN_ID: { field: "chainId", parse: chainId, help: "custom chain id", env: ["ASTRAM_CHAIN_ID"] },
  DATA_DIR: { field: "dataDir", parse: path, help: "data directory (default ~/.Astram/<network>)" },
  P2P_BIND_ADDR: { field: "p2pBindAddr", parse: host, help: "P2P listen address (0.0.0.0)" },
  P2P_PORT: { field: "p2pPort", parse: port, help: "P2P port (8335; 18335 on devnet; 0 = any)" },
  P2P_ADVERTISE_PORT: {
    field: "p2pAdvertisePort",
    parse: port,
    help: "P2P port announced to peers, when it differs from the bound one (0 = the bound port)",
  },
  HTTP_BIND_ADDR: { field: "httpBindAddr", parse: host, help: "HTTP API and dashboard address (127.0.0.1)" },
  HTTP_PORT: { field: "httpPort", parse: port, help: "HTTP API port (19533; 0 = any)" },
  ETH_RPC_BIND_ADDR: { field: "ethRpcBindAddr", parse: host, help: "Ethereum JSON-RPC address (127.0.0.1)" },
  ETH_RPC_PORT: { field: "ethRpcPort", parse: port, help: "Ethereum JSON-RPC port (8545; 0 = any)" },
  ADMIN_BIND_ADDR: { field: "adminBindAddr", parse: host, help: "admin interface address (127.0.0.1)" },
  ADMIN_PORT: {
    field: "adminPort",
    parse: port,
    help: "admin interface port (19534; testnet 19535; devnet 19536; 0 = any)",
  },
  ADMIN_PASSWORD: {
    field: "adminPassword",
    parse: adminPassword,
    help: "admin credentials, user:password or a password for user admin (unset = the .cookie file)",
  },
  PUBLIC_RPC_BIND_ADDR: {
    field: "publicRpcBindAddr",
    parse: host,
    help: "read-only public API address (0.0.0.0)",
  },
  PUBLIC_RPC_PORT: { field: "publicRpcPort", parse: port, help: "read-only public API port (0 = off)" },
  DNS_SERVER_URL: { field: "dnsServerUrl", parse: url, help: "discovery server URL (empty = none)" },
  DNS_REGISTER: { field: "dnsRegister", parse: bool, help: "register with the discovery server (false)" },
  BOOTSTRAP_PEERS: { field: "bootstrapPeers", parse: peers, help: "comma-separated host:port peers to dial" },
  MINE: { field: "mine", parse: bool, help: "mine blocks (false)" },
  MINER_ADDRESS: { field: "minerAddress", parse: address, help: "address that receives mined rewards" },
  MINER_THREADS: { field: "minerThreads", parse: threads, help: "mining threads (one per core)" },
  MINER_GPU: { field: "gpu", parse: bool, help: "also mine on the GPU (false)" },
  VERIFY_THREADS: {
    field: "verifyThreads",
    parse: verifyThreads,
    help: "signature verification threads while syncing (cores - 1, at most 4; 0 = none)",
  },
  MINER_PACE: {
    field: "minerPace",
    parse: bool,
    help: "hold mining to the target block time (false; npm start: true)",
  },
  LOG_LEVEL: { field: "logLevel", parse: logLevel, help: LOG_LEVELS.join(", ") },
  ALLOW_PRIVATE_PEERS: {
    field: "allowPrivatePeers",
    parse: bool,
    help: "accept loopback/private peer addresses (false)",
  },
};
