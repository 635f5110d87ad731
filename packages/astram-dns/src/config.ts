import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { type NetworkName, parseNetworkName } from "astram-core";
import { ConfigError } from "./errors.js";
import { LOG_LEVELS, type LogLevel } from "./logger.js";

/** Every setting of the server. Durations are seconds, as on the command line. */
export interface DnsConfig {
  host: string;
  port: number;
  maxAge: number;
  healthInterval: number;
  healthFailures: number;
  probeTimeout: number;
  allowPrivate: boolean;
  trustProxy: string[];
  registerRate: number;
  requestRate: number;
  bodyLimit: number;
  maxNodes: number;
  maxNodesPerIp: number;
  maxNodesPerSubnet: number;
  network: NetworkName;
  networkId: string;
  chainId: number;
  logLevel: LogLevel;
}

export type ConfigKey = keyof DnsConfig;

interface OptionSpec<K extends ConfigKey> {
  /** Flag name without dashes; also the name used in error messages. */
  flag: string;
  default: DnsConfig[K];
  /** Placeholder shown in `--help` (absent for switches). */
  arg?: string;
  description: string;
  accepted: string;
  parse(raw: unknown): DnsConfig[K] | undefined;
}

type Specs = { [K in ConfigKey]: OptionSpec<K> };

const LEVELS: readonly string[] = LOG_LEVELS;
const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];

function number(raw: unknown, opts: { integer: boolean; min: number; max: number; minExclusive?: boolean }) {
  let n: number;
  if (typeof raw === "number") n = raw;
  else if (typeof raw === "string" && (opts.integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(raw.trim()))
    n = Number(raw);
  else return undefined;
  if (!Number.isFinite(n) || (opts.integer && !Number.isSafeInteger(n))) return undefined;
  if (opts.minExclusive ? n <= opts.min : n < opts.min) return undefined;
  return n > opts.max ? undefined : n;
}

function boolean(raw: unknown): boolean | undefined {
  if (typeof raw === "boolean") return raw;
  if (typeof raw !== "string") return undefined;
  const s = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(s)) return true;
  if (["0", "false", "no", "off"].includes(s)) return false;
  return undefined;
}

function isProxySpec(s: string): boolean {
  if (PROXY_NAMES.includes(s)) return true;
  const [ip, prefix, ...rest] = s.split("/");
  const family = isIP(ip ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The option table: defaults, help text, accepted values and parsers in one place. */
export const CONFIG_SPECS: Specs = {
  host: {
    flag: "host",
    default: "0.0.0.0",
    arg: "<address>",
    description: "address to listen on (use :: for IPv6 and IPv4)",
    accepted: "an IP address or host name",
    parse: (raw) => (typeof raw === "string" && /^[A-Za-z0-9.:-]+$/.test(raw) ? raw : undefined),
  },
  port: {
    flag: "port",
    default: 8053,
    arg: "<port>",
    description: "HTTP port (0 = any free port)",
    accepted: "an integer from 0 to 65535",
    parse: (raw) => number(raw, { integer: true, min: 0, max: 65535 }),
  },
  maxAge: {
    flag: "max-age",
    default: 3600,
    arg: "<seconds>",
    description: "drop a node this long after its last registration",
    accepted: "a number of seconds > 0",
    parse: (raw) => number(raw, { integer: false, min: 0, max: 31_536_000, minExclusive: true }),
  },
  healthInterval: {
    flag: "health-interval",
    default: 600,
    arg: "<seconds>",
    description: "pause between health-check rounds (a P2P handshake with each node); 0 disables",
    accepted: "a number of seconds >= 0",
    parse: (raw) => number(raw, { integer: false, min: 0, max: 86_400 }),
  },
  healthFailures: {
    flag: "health-failures",
    default: 2,
    arg: "<count>",
    description: "consecutive failed health probes that remove a node",
    accepted: "an integer from 1 to 100",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 100 }),
  },
  probeTimeout: {
    flag: "probe-timeout",
    default: 3,
    arg: "<seconds>",
    description: "time a registration or health probe has to connect and complete the P2P handshake",
    accepted: "a number of seconds > 0 and <= 60",
    parse: (raw) => number(raw, { integer: false, min: 0, max: 60, minExclusive: true }),
  },
  allowPrivate: {
    flag: "allow-private",
    default: false,
    description: "accept private, loopback and link-local addresses (local networks, tests)",
    accepted: "true or false (1/0, yes/no, on/off)",
    parse: boolean,
  },
  trustProxy: {
    flag: "trust-proxy",
    default: [],
    arg: "<list>",
    description:
      "comma-separated reverse proxies (IP, CIDR, loopback, linklocal, uniquelocal) whose X-Forwarded-For is believed",
    accepted: "a comma-separated list of IP addresses, CIDR ranges or loopback/linklocal/uniquelocal",
    parse: (raw) => {
      const items = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : undefined;
      if (items === undefined || !items.every((x) => typeof x === "string")) return undefined;
      const list = items.map((x: string) => x.trim()).filter((x) => x !== "");
      return list.every(isProxySpec) ? list : undefined;
    },
  },
  registerRate: {
    flag: "register-rate",
    default: 10,
    arg: "<count>",
    description: "POST /register requests allowed per source IP per minute",
    accepted: "an integer from 1 to 1000000",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 1_000_000 }),
  },
  requestRate: {
    flag: "request-rate",
    default: 600,
    arg: "<count>",
    description: "requests of any kind allowed per source IP per minute",
    accepted: "an integer from 1 to 1000000",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 1_000_000 }),
  },
  bodyLimit: {
    flag: "body-limit",
    default: 4096,
    arg: "<bytes>",
    description: "largest accepted request body",
    accepted: "an integer from 64 to 1048576",
    parse: (raw) => number(raw, { integer: true, min: 64, max: 1_048_576 }),
  },
  maxNodes: {
    flag: "max-nodes",
    default: 10_000,
    arg: "<count>",
    description: "largest number of registered nodes",
    accepted: "an integer from 1 to 1000000",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 1_000_000 }),
  },
  maxNodesPerIp: {
    flag: "max-nodes-per-ip",
    default: 2,
    arg: "<count>",
    description: "largest number of registered ports per IP address",
    accepted: "an integer from 1 to 65535",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 65535 }),
  },
  maxNodesPerSubnet: {
    flag: "max-nodes-per-subnet",
    default: 4,
    arg: "<count>",
    description: "largest number of registered endpoints per IPv4 /24 or IPv6 /48",
    accepted: "an integer from 1 to 65535",
    parse: (raw) => number(raw, { integer: true, min: 1, max: 65535 }),
  },
  network: {
    flag: "network",
    default: "mainnet",
    arg: "<name>",
    description: "the Astram network whose nodes may register (main, test or dev)",
    accepted: "main, test or dev (mainnet, testnet, devnet)",
    parse: (raw) => {
      if (typeof raw !== "string") return undefined;
      try {
        return parseNetworkName(raw);
      } catch {
        return undefined;
      }
    },
  },
  networkId: {
    flag: "network-id",
    default: "",
    arg: "<id>",
    description: "network id a node must announce in its handshake (empty = the --network's own)",
    accepted: "at most 64 printable ASCII characters",
    parse: (raw) => (typeof raw === "string" && /^[\x20-\x7e]{0,64}$/.test(raw) ? raw.trim() : undefined),
  },
  chainId: {
    flag: "chain-id",
    default: 0,
    arg: "<id>",
    description: "chain id a node must announce in its handshake (0 = the --network's own)",
    accepted: "an integer from 0 to 2^53-1",
    parse: (raw) => number(raw, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
  },
  logLevel: {
    flag: "log-level",
    default: "info",
    arg: "<level>",
    description: "pino log level",
    accepted: LOG_LEVELS.join(", "),
    parse: (raw) => (typeof raw === "string" && LEVELS.includes(raw) ? (raw as LogLevel) : undefined),
  },
};

export const CONFIG_KEYS = Object.keys(CONFIG_SPECS) as ConfigKey[];

/** `maxNodesPerIp` -> `ASTRAM_DNS_MAX_NODES_PER_IP`. */
export function envName(key: ConfigKey): string {
  return "ASTRAM_DNS_" + CONFIG_SPECS[key].flag.toUpperCase().replaceAll("-", "_");
}
export const CONFIG_FILE_ENV = "ASTRAM_DNS_CONFIG";

export function defaultConfig(): DnsConfig {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const d = CONFIG_SPECS[key].default;
    out[key] = Array.isArray(d) ? [...d] : d;
  }
  return out as unknown as DnsConfig;
}

function parseValue<K extends ConfigKey>(key: K, raw: unknown, source: string): DnsConfig[K] {
  const spec = CONFIG_SPECS[key] as OptionSpec<K>;
  const value = spec.parse(raw);
  if (value === undefined) {
    throw new ConfigError(
      spec.flag,
      `invalid value for ${spec.flag} (${source}): ${JSON.stringify(raw)}; accepted: ${spec.accepted}`,
    );
  }
  return value;
}

/** Parses a JSON config file's text. Keys are the camelCase names of `DnsConfig`. */
export function parseConfigFile(text: string, path: string): Partial<DnsConfig> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("config", `config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError("config", `config file ${path} must hold a JSON object`);
  }
  const out: Partial<Record<ConfigKey, unknown>> = {};
  for (const [k, raw] of Object.entries(data)) {
    if (!(CONFIG_KEYS as string[]).includes(k)) {
      throw new ConfigError(
        "config",
        `unknown key "${k}" in config file ${path}; accepted keys: ${CONFIG_KEYS.join(", ")}`,
      );
    }
    const key = k as ConfigKey;
    out[key] = parseValue(key, raw, `config file ${path}, key "${key}"`);
  }
  return out as Partial<DnsConfig>;
}

export function readConfigFile(path: string): Partial<DnsConfig> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      "config",
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  return parseConfigFile(text, path);
}

export interface ConfigSources {
  /** Values from the config file, already parsed. */
  file?: Partial<DnsConfig>;
  /** The process environment; only `ASTRAM_DNS_*` names are read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Raw command-line values by key; `undefined` means "not given". */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /** Typed values given to `createDnsServer`; applied last and checked like the others. */
  overrides?: Partial<Record<ConfigKey, unknown>>;
}

/**
 * Defaults < config file < environment < flags (< programmatic overrides). The first bad value
 * throws a `ConfigError` naming the option and its accepted values.
 */
export function resolveConfig(sources: ConfigSources): DnsConfig {
  const config = defaultConfig() as unknown as Record<ConfigKey, unknown>;
  for (const key of CONFIG_KEYS) {
    const fromFile = sources.file?.[key];
    if (fromFile !== undefined) config[key] = parseValue(key, fromFile, "config file");
    const name = envName(key);
    const fromEnv = sources.env?.[name];
    if (fromEnv !== undefined && fromEnv !== "")
      config[key] = parseValue(key, fromEnv, `environment ${name}`);
    const fromFlag = sources.flags?.[key];
    if (fromFlag !== undefined) config[key] = parseValue(key, fromFlag, `flag --${CONFIG_SPECS[key].flag}`);
    const fromCode = sources.overrides?.[key];
    if (fromCode !== undefined) config[key] = parseValue(key, fromCode, `option ${key}`);
  }
  return config as unknown as DnsConfig;
}
