import { readFileSync } from "node:fs";
import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import { NETWORKS, type NetworkName } from "astram-core";
import { DEFAULT_ADMIN_PORTS } from "../admin/admin-port.js";
import { CONFIG_KEYS, ConfigError, type NodeSettings } from "./settings.js";

export interface ConfigWarning {
  readonly line: number;
  readonly message: string;
}

/**
 * Parses `nodeSettings.conf`: one KEY=VALUE per line, `#` comments and blank lines ignored.
 * Unknown keys and lines without `=` are warnings; a bad value is a ConfigError naming the key.
 */
export function parseConfigFile(content: string): {
  values: Record<string, string>;
  warnings: ConfigWarning[];
} {
  const values: Record<string, string> = {};
  const warnings: ConfigWarning[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq < 0) {
      warnings.push({ line: i + 1, message: `ignored line without "=": ${line}` });
      return;
    }
    const key = line.slice(0, eq).trim().toUpperCase();
    if (!(key in CONFIG_KEYS)) {
      warnings.push({ line: i + 1, message: `unknown key ${key}` });
      return;
    }
    values[key] = line.slice(eq + 1).trim();
  });
  return { values, warnings };
}

export function defaultDataDir(network: NetworkName): string {
  return join(homedir(), ".Astram", network === "mainnet" ? "data" : network);
}

function defaults(network: NetworkName): NodeSettings {
  const ports = NETWORKS[network].defaultPorts;
  return {
    network,
    networkId: undefined,
    chainId: undefined,
    dataDir: defaultDataDir(network),
    p2pBindAddr: "0.0.0.0",
    p2pPort: ports.p2p,
    p2pAdvertisePort: 0,
    httpBindAddr: "127.0.0.1",
    httpPort: ports.http,
    ethRpcBindAddr: "127.0.0.1",
    ethRpcPort: ports.rpc,
    adminBindAddr: "127.0.0.1",
    adminPort: DEFAULT_ADMIN_PORTS[network],
    adminPassword: undefined,
    publicRpcBindAddr: "0.0.0.0",
    publicRpcPort: 0,
    dnsServerUrl: "",
    dnsRegister: false,
    bootstrapPeers: [],
    mine: false,
    minerAddress: undefined,
    minerThreads: availableParallelism(),
    verifyThreads: Math.min(4, Math.max(1, availableParallelism() - 1)),
    gpu: false,
    minerPace: false,
    logLevel: "info",
    allowPrivatePeers: network === "devnet",
  };
}

export interface LoadConfigInput {
  /** Path of nodeSettings.conf; when absent, ./config/nodeSettings.conf is used if it exists. */
  configFile?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Command-line values by config KEY (already strings). */
  flags?: Record<string, string | undefined>;
}

/** Resolves settings with precedence defaults < config file < environment < flags. */
export function loadConfig(input: LoadConfigInput = {}): {
  settings: NodeSettings;
  warnings: string[];
  sources: Record<string, string>;
} {
  const warnings: string[] = [];
  let fileValues: Record<string, string> = {};
  const explicit = input.configFile !== undefined;
  const file = input.configFile ?? join(process.cwd(), "config", "nodeSettings.conf");
  try {
    const parsed = parseConfigFile(readFileSync(file, "utf8"));
    fileValues = parsed.values;
    for (const w of parsed.warnings) warnings.push(`${file}:${w.line}: ${w.message}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" || explicit)
      throw new ConfigError("--config", `cannot read ${file}: ${(e as Error).message}`);
  }
  const env = input.env ?? process.env;
  const layered: Record<string, { value: string; source: string }> = {};
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    if (fileValues[key] !== undefined)
      layered[key] = { value: fileValues[key], source: `config file ${file}` };
    for (const name of [...(spec.env ?? []), `ASTRAM_${key}`]) {
      const v = env[name];
      if (v !== undefined && v !== "") layered[key] = { value: v, source: `environment ${name}` };
    }
    const flag = input.flags?.[key];
    if (flag !== undefined) layered[key] = { value: flag, source: "command line" };
  }
  // The network decides the other defaults, so it is resolved first.
  const network = layered.NETWORK
    ? (CONFIG_KEYS.NETWORK!.parse(layered.NETWORK.value, "NETWORK") as NetworkName)
    : "mainnet";
  const settings = defaults(network) as unknown as Record<string, unknown>;
  const sources: Record<string, string> = {};
  for (const [key, { value, source }] of Object.entries(layered)) {
    const spec = CONFIG_KEYS[key]!;
    try {
      settings[spec.field] = spec.parse(value, key);
    } catch (e) {
      if (e instanceof ConfigError)
        throw new ConfigError(key, `${e.message.slice(key.length + 2)} (from ${source})`);
      throw e;
    }
    sources[key] = source;
  }
  const result = settings as unknown as NodeSettings;
  if (result.mine && !result.minerAddress) {
    throw new ConfigError("MINER_ADDRESS", "mining needs a payout address (--miner-address 0x...)");
  }
  checkAdminPort(result);
  return { settings: result, warnings, sources };
}

/** The admin interface never shares a port with the services peers and users reach. */
function checkAdminPort(s: NodeSettings): void {
  if (s.adminPort === 0) return;
  const others: [string, number][] = [
    ["P2P_PORT", s.p2pPort],
    ["HTTP_PORT", s.httpPort],
    ["ETH_RPC_PORT", s.ethRpcPort],
    ["PUBLIC_RPC_PORT", s.publicRpcPort],
  ];
  for (const [key, port] of others)
    if (port === s.adminPort)
      throw new ConfigError(
        "ADMIN_PORT",
        `${s.adminPort} is also ${key}: the admin interface needs its own port`,
      );
}
