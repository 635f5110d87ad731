import { hostname } from "node:os";
import type { Logger, LogLevel } from "./logger.js";

/** pino's numeric levels, so log shippers configured for pino read these lines unchanged. */
const LEVEL_VALUES: Record<LogLevel, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

export interface JsonLoggerOptions {
  level: LogLevel;
  /** Where lines go (default: process.stdout). */
  write?: (line: string) => void;
  now?: () => number;
}

/**
 * One JSON object per line in pino's format (`level`, `time`, `pid`, `hostname`, fields, `msg`).
 * A stand-in for pino, which is not installed in this workspace (see README, Dependencies);
 * `createDnsServer` takes any pino-shaped logger, so a real pino instance drops in unchanged.
 */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const threshold = LEVEL_VALUES[options.level];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? Date.now;
  const base = { pid: process.pid, hostname: hostname() };
  const at =
    (level: LogLevel) =>
    (obj: object, msg?: string): void => {
      const value = LEVEL_VALUES[level];
      if (value < threshold) return;
      const record: Record<string, unknown> = { level: value, time: now(), ...base, ...obj };
      if (msg !== undefined) record.msg = msg;
      write(JSON.stringify(record, jsonSafe) + "\n");
    };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}

/** Errors and bigints would otherwise serialise as `{}` or throw. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  return value;
}
