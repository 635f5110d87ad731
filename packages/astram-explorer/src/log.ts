import { type Logger, pino } from "pino";
import { PinoPretty } from "pino-pretty";

/** `pretty`: one human-readable line per event; `json`: pino's JSON lines; `auto`: pretty on a TTY. */
export type LogFormat = "auto" | "pretty" | "json";
const LOG_FORMATS: readonly LogFormat[] = ["auto", "pretty", "json"];

/** The --log-format value (else ASTRAM_LOG_FORMAT, else auto), checked; throws naming the choices. */
export function parseLogFormat(flag: string | undefined, env = process.env): LogFormat {
  const raw = flag ?? env.ASTRAM_LOG_FORMAT ?? "auto";
  if (!(LOG_FORMATS as readonly string[]).includes(raw))
    throw new Error(`--log-format must be ${LOG_FORMATS.join(", ")}, not "${raw}"`);
  return raw as LogFormat;
}

/**
 * One pino logger per process; tests pass level "silent". Human-readable lines (time, level,
 * message, fields) when stdout is a terminal or asked for, JSON lines otherwise.
 */
export function createLogger(level: string, name = "astram-explorer", format: LogFormat = "json"): Logger {
  const options = { name, level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  const pretty = format === "pretty" || (format === "auto" && process.stdout.isTTY === true);
  if (!pretty) return pino(options);
  return pino(
    options,
    PinoPretty({ sync: true, singleLine: true, translateTime: "SYS:HH:MM:ss.l", ignore: "name" }),
  );
}
