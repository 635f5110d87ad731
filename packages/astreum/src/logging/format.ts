// Timestamps and console lines of the logs (facts §6).

export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** ISO-8601 UTC with offset and microseconds, as Python's isoformat: 2025-04-13T12:34:56.789000+00:00. */
export function isoTimestamp(ms: number): string {
  const d = new Date(ms);
  const micros = pad(Math.floor(((ms % 1000) + 1000) % 1000) * 1000, 6);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${micros}+00:00`
  );
}

/** The UTC calendar day of a time, YYYY-MM-DD. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The verbose console line: `[YYYY-MM-DD-SS-MM] [level] message`. Seconds come before minutes, as
 * in the seed's example `[2025-04-13-42-59] [info] Starting Astreum Node` (the reference's format
 * string); the time is UTC like the CSV rows.
 */
export function consoleLine(ms: number, level: LogLevel, msg: string, name: string | null = null): string {
  const d = new Date(ms);
  const stamp = `${utcDay(ms)}-${pad(d.getUTCSeconds())}-${pad(d.getUTCMinutes())}`;
  return `[${stamp}] [${level.toLowerCase()}] ${name === null ? "" : `${name}: `}${msg}`;
}
