// The node configuration of the CLI commands. Precedence: defaults < config file (JSON, the seed's
// snake_case keys) < environment (ASTREUM_<KEY>, e.g. ASTREUM_INCOMING_PORT=0; values read as JSON
// when they parse, else as text) < command-line flags.
// `--state-dir DIR` keeps everything of the node in DIR: its state file (relay key, latest verified
// head, known peers), its atoms (DIR/atoms, unless cold_storage_path is set) and its logs (DIR/logs,
// unless a log directory is set).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_DEFAULTS, type NodeConfig, TS_ONLY_CONFIG_KEYS } from "../config.js";
import { ConfigError } from "../options.js";

export const ENV_PREFIX = "ASTREUM_";

/** Keys settable through the environment: the seed's keys plus the TypeScript-only ones. */
const ENV_KEYS = [...Object.keys(CONFIG_DEFAULTS), ...TS_ONLY_CONFIG_KEYS];

export function readConfigFile(path: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError("--config", `cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError("--config", `${path} is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigError("--config", `${path} must hold a JSON object of config keys`);
  return parsed as NodeConfig;
}

function envName(key: string): string {
  return ENV_PREFIX + key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const out: Record<string, unknown> = {};
  for (const key of ENV_KEYS) {
    const raw = env[envName(key)];
    if (raw === undefined) continue;
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    out[key] = value;
  }
  return out as NodeConfig;
}

export interface NodeFlags {
  config?: string;
  port?: string;
  bind?: string;
  seed?: string[];
  defaultSeed?: string | false;
  coldStoragePath?: string;
  chain?: string;
  logDir?: string;
  logging?: boolean;
  verbose?: boolean;
  latestBlockHash?: string;
  stateDir?: string;
  relayKey?: string;
}

/** defaults < file < environment < flags. */
export function buildNodeConfig(flags: NodeFlags, base: NodeConfig = {}, env = process.env): NodeConfig {
  const config: Record<string, unknown> = { ...base };
  if (flags.config !== undefined) Object.assign(config, readConfigFile(flags.config));
  Object.assign(config, configFromEnv(env));
  if (flags.port !== undefined) config.incoming_port = flags.port;
  if (flags.bind !== undefined) config.bindAddress = flags.bind;
  if (flags.seed !== undefined && flags.seed.length > 0)
    config.additional_seeds = [...((config.additional_seeds as string[] | undefined) ?? []), ...flags.seed];
  if (flags.defaultSeed === false) config.default_seed = null;
  else if (flags.defaultSeed !== undefined) config.default_seed = flags.defaultSeed;
  if (flags.coldStoragePath !== undefined) config.cold_storage_path = flags.coldStoragePath;
  if (flags.chain !== undefined) config.chain = flags.chain;
  if (flags.logDir !== undefined) config.loggingDirectory = flags.logDir;
  if (flags.logging === false) config.logging_enabled = false;
  if (flags.verbose === true) config.verbose = true;
  if (flags.latestBlockHash !== undefined) config.latest_block_hash = flags.latestBlockHash;
  if (flags.relayKey !== undefined)
    config.relay_secret_key = Buffer.from(readKeyFile(flags.relayKey)).toString("hex");
  if (flags.stateDir !== undefined) {
    config.stateDirectory = flags.stateDir;
    config.cold_storage_path ??= join(flags.stateDir, "atoms");
    config.loggingDirectory ??= join(flags.stateDir, "logs");
  }
  return config as NodeConfig;
}

/** A key file: JSON {"secret_key": hex, ...} (what `astreum keygen` writes) or bare hex. */
export function readKeyFile(path: string): Uint8Array {
  let text: string;
  try {
    text = readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new ConfigError("key file", `cannot read ${path}: ${(err as Error).message}`);
  }
  let hex = text;
  if (text.startsWith("{")) {
    try {
      const o = JSON.parse(text) as { secret_key?: unknown };
      if (typeof o.secret_key !== "string") throw new Error("no secret_key");
      hex = o.secret_key;
    } catch (err) {
      throw new ConfigError("key file", `${path}: ${(err as Error).message}`);
    }
  }
  hex = hex.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new ConfigError("key file", `${path} does not hold a 32-byte hex key`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}
