import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors.js";

/** Resolved settings of the `astram-explorer` process. */
export interface ExplorerSettings {
  readonly nodeUrl: string;
  readonly db: string;
  readonly host: string;
  readonly port: number;
  readonly pollMs: number;
  readonly logLevel: string;
}

export type SettingKey = "NODE_URL" | "DB" | "HOST" | "PORT" | "POLL_MS" | "LOG_LEVEL";
export type SettingSource = "default" | "config file" | "environment" | "flag";

export const DEFAULTS: Record<SettingKey, string> = {
  NODE_URL: "http://127.0.0.1:19533",
  DB: join(homedir(), ".Astram", "explorer", "explorer.sqlite"),
  HOST: "127.0.0.1",
  PORT: "8080",
  POLL_MS: "2000",
  LOG_LEVEL: "info",
};

export const ENV_PREFIX = "ASTRAM_EXPLORER_";
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** KEY=VALUE lines, `#` comments. */
export function parseConfigFile(text: string, file: string): Partial<Record<SettingKey, string>> {
  const out: Partial<Record<SettingKey, string>> = {};
  for (const [n, line] of text.split(/\r?\n/).entries()) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const eq = t.indexOf("=");
    const key = t.slice(0, eq).trim();
    if (eq < 0 || !(key in DEFAULTS))
      throw new ConfigError(
        `${file}:${n + 1}: expected KEY=VALUE with KEY one of ${Object.keys(DEFAULTS).join(", ")}`,
      );
    out[key as SettingKey] = t.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Settings by precedence: defaults < config file < environment (ASTRAM_EXPLORER_<KEY>) < flags.
 * A bad value is a ConfigError naming the key, the accepted values and where the value came from.
 */
export function resolveSettings(input: {
  configFile?: string;
  env?: Record<string, string | undefined>;
  flags?: Partial<Record<SettingKey, string>>;
}): { settings: ExplorerSettings; sources: Record<SettingKey, SettingSource> } {
  const values = { ...DEFAULTS };
  const sources = Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, "default"])) as Record<
    SettingKey,
    SettingSource
  >;
  const apply = (src: Partial<Record<SettingKey, string | undefined>>, source: SettingSource) => {
    for (const [k, v] of Object.entries(src)) {
      if (v === undefined || !(k in DEFAULTS)) continue;
      values[k as SettingKey] = v;
      sources[k as SettingKey] = source;
    }
  };
  if (input.configFile) {
    let text: string;
    try {
      text = readFileSync(input.configFile, "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read config file ${input.configFile}: ${(e as Error).message}`);
    }
    apply(parseConfigFile(text, input.configFile), "config file");
  }
  const env = input.env ?? {};
  apply(
    Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, env[ENV_PREFIX + k]])) as Partial<
      Record<SettingKey, string>
    >,
    "environment",
  );
  apply(input.flags ?? {}, "flag");

  const bad = (key: SettingKey, accepted: string): never => {
    throw new ConfigError(`${key}="${values[key]}" (from ${sources[key]}) is invalid: expected ${accepted}`);
  };
  const port = Number(values.PORT);
  if (!/^\d+$/.test(values.PORT) || port > 65535) bad("PORT", "a port number 0-65535 (0 = any free port)");
  const pollMs = Number(values.POLL_MS);
  if (!/^\d+$/.test(values.POLL_MS) || pollMs < 10) bad("POLL_MS", "milliseconds >= 10");
  if (!LEVELS.includes(values.LOG_LEVEL)) bad("LOG_LEVEL", LEVELS.join(", "));
  try {
    const u = new URL(values.NODE_URL);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    bad("NODE_URL", "an http:// or https:// URL of the node's HTTP API");
  }
  if (values.DB.trim() === "") bad("DB", "a SQLite file path or a postgres:// URL");
  return {
    settings: {
      nodeUrl: values.NODE_URL,
      db: values.DB,
      host: values.HOST,
      port,
      pollMs,
      logLevel: values.LOG_LEVEL,
    },
    sources,
  };
}
