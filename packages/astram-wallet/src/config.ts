import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { type NetworkName, parseNetworkName } from "astram-core";
import { BadConfigError, ConfigExistsError } from "./errors.js";
import { replaceFileAtomic, writeNewFileAtomic } from "./wallet/atomic-write.js";

/**
 * Wallet settings. Precedence: defaults < config file < environment < command-line flags.
 *
 * | setting       | config key     | environment           | flag          | default                        |
 * | ------------- | -------------- | --------------------- | ------------- | ------------------------------ |
 * | config file   |                | ASTRAM_WALLET_CONFIG  | --config FILE | $HOME/.Astram/config.json      |
 * | wallet file   | wallet_path    | ASTRAM_WALLET_PATH    | --wallet FILE | $HOME/.Astram/wallet.json      |
 * | node HTTP API | node_rpc_url   | ASTRAM_NODE_RPC_URL   | --node URL    | http://127.0.0.1:19533         |
 * | network       | network        | ASTRAM_NETWORK        | --network N   | mainnet                        |
 *
 * The network picks the default derivation path of `create` and `import` (coin type 60 on
 * mainnet, 1 on testnet and devnet) and is recorded in the wallet file.
 */
export interface WalletConfig {
  wallet_path: string;
  node_rpc_url: string;
  network: NetworkName;
}

export const CONFIG_KEYS = ["wallet_path", "node_rpc_url", "network"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export const DEFAULT_NODE_URL = "http://127.0.0.1:19533";

export type SettingSource = "default" | "config" | "env" | "flag";

export interface ResolvedSettings {
  configPath: string;
  /** True when the config file exists. */
  configExists: boolean;
  walletPath: string;
  nodeUrl: string;
  network: NetworkName;
  sources: {
    config_path: SettingSource;
    wallet_path: SettingSource;
    node_rpc_url: SettingSource;
    network: SettingSource;
  };
}

export interface SettingFlags {
  config?: string | undefined;
  wallet?: string | undefined;
  node?: string | undefined;
  network?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

export function homeDir(env: Env): string {
  return env.HOME && env.HOME !== "" ? env.HOME : homedir();
}

/** Expands a leading "~" with $HOME and makes the path absolute. */
export function expandPath(p: string, env: Env): string {
  const t = p.trim();
  const expanded = t === "~" ? homeDir(env) : t.startsWith("~/") ? join(homeDir(env), t.slice(2)) : t;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}

export function defaultConfig(env: Env): WalletConfig {
  return {
    wallet_path: join(homeDir(env), ".Astram", "wallet.json"),
    node_rpc_url: DEFAULT_NODE_URL,
    network: "mainnet",
  };
}

/** Checks a node URL: http(s), no credentials; returned without a trailing slash. */
export function parseNodeUrl(text: string, where: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new BadConfigError(`${where}: "${text}" is not a URL (expected e.g. ${DEFAULT_NODE_URL})`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new BadConfigError(`${where}: "${text}" is not an http(s) URL`);
  return u.toString().replace(/\/+$/, "");
}

/** A network name (main, test, dev, mainnet, …) in its canonical form. */
export function parseNetworkSetting(text: string, where: string): NetworkName {
  try {
    return parseNetworkName(text);
  } catch {
    throw new BadConfigError(`${where}: unknown network "${text}" (accepted: main, test, dev)`);
  }
}

function validateValue(key: ConfigKey, value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new BadConfigError(`${where}: ${key} must be a non-empty string`);
  if (key === "node_rpc_url") return parseNodeUrl(value, where);
  if (key === "network") return parseNetworkSetting(value, where);
  return value.trim();
}

/** Reads a config file; undefined when it does not exist. Unknown keys are kept but ignored. */
export function readConfigFile(path: string): (Partial<WalletConfig> & Record<string, unknown>) | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new BadConfigError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadConfigError(`${path} is not valid JSON`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new BadConfigError(`${path} must hold a JSON object`);
  const cfg = json as Record<string, unknown>;
  for (const key of CONFIG_KEYS) if (key in cfg) cfg[key] = validateValue(key, cfg[key], path);
  return cfg as Partial<WalletConfig> & Record<string, unknown>;
}

/** The config file's path: --config FILE, else $ASTRAM_WALLET_CONFIG, else $HOME/.Astram/config.json. */
export function resolveConfigPath(flags: SettingFlags, env: Env): { path: string; source: SettingSource } {
  if (flags.config) return { path: expandPath(flags.config, env), source: "flag" };
  if (env.ASTRAM_WALLET_CONFIG) return { path: expandPath(env.ASTRAM_WALLET_CONFIG, env), source: "env" };
  return { path: join(homeDir(env), ".Astram", "config.json"), source: "default" };
}

export function resolveSettings(flags: SettingFlags, env: Env): ResolvedSettings {
  const { path: configPath, source } = resolveConfigPath(flags, env);
  const sources: ResolvedSettings["sources"] = {
    config_path: source,
    wallet_path: "default",
    node_rpc_url: "default",
    network: "default",
  };
  const defaults = defaultConfig(env);
  const file = readConfigFile(configPath);
  let walletPath = defaults.wallet_path;
  let nodeUrl = defaults.node_rpc_url;
  let network = defaults.network;
  if (file?.network !== undefined) {
    network = file.network as NetworkName;
    sources.network = "config";
  }
  if (env.ASTRAM_NETWORK) {
    network = parseNetworkSetting(env.ASTRAM_NETWORK, "ASTRAM_NETWORK");
    sources.network = "env";
  }
  if (flags.network) {
    network = parseNetworkSetting(flags.network, "--network");
    sources.network = "flag";
  }
  if (file?.wallet_path !== undefined) {
    walletPath = file.wallet_path;
    sources.wallet_path = "config";
  }
  if (file?.node_rpc_url !== undefined) {
    nodeUrl = file.node_rpc_url;
    sources.node_rpc_url = "config";
  }
  if (env.ASTRAM_WALLET_PATH) {
    walletPath = env.ASTRAM_WALLET_PATH;
    sources.wallet_path = "env";
  }
  if (env.ASTRAM_NODE_RPC_URL) {
    nodeUrl = parseNodeUrl(env.ASTRAM_NODE_RPC_URL, "ASTRAM_NODE_RPC_URL");
    sources.node_rpc_url = "env";
  }
  if (flags.wallet) {
    walletPath = flags.wallet;
    sources.wallet_path = "flag";
  }
  if (flags.node) {
    nodeUrl = parseNodeUrl(flags.node, "--node");
    sources.node_rpc_url = "flag";
  }
  return {
    configPath,
    configExists: file !== undefined,
    walletPath: expandPath(walletPath, env),
    nodeUrl: parseNodeUrl(nodeUrl, "node_rpc_url"),
    network,
    sources,
  };
}

export function parseConfigKey(key: string): ConfigKey {
  if (!(CONFIG_KEYS as readonly string[]).includes(key))
    throw new BadConfigError(`unknown config key "${key}" (keys: ${CONFIG_KEYS.join(", ")})`);
  return key as ConfigKey;
}

function serialize(cfg: object): string {
  return `${JSON.stringify(cfg, null, 2)}\n`;
}

/** `config init`: writes the defaults; refuses to replace an existing file unless `force`. */
export function initConfigFile(path: string, env: Env, force: boolean): WalletConfig {
  const cfg = defaultConfig(env);
  if (force) replaceFileAtomic(path, serialize(cfg));
  else {
    try {
      writeNewFileAtomic(path, serialize(cfg));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new ConfigExistsError(path);
      throw e;
    }
  }
  return cfg;
}

/** `config set KEY VALUE`: validates and writes one key, creating the file from the defaults. */
export function setConfigValue(path: string, env: Env, key: string, value: string): WalletConfig {
  const k = parseConfigKey(key);
  const v = validateValue(k, value, k);
  const current = readConfigFile(path) ?? defaultConfig(env);
  const next = { ...defaultConfig(env), ...current, [k]: v } as WalletConfig;
  replaceFileAtomic(path, serialize(next));
  return next;
}
