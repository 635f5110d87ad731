// Reading service options that keep the seed's snake_case config keys. Every bad value raises
// ConfigError naming the key; numbers may be given as numbers or numeric strings (the reference's
// Python int()/float() accept both), booleans are never numbers.

/** An option (a config key of the seed, or a TypeScript-only option) has an invalid value. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  readonly key: string;
  constructor(key: string, detail: string) {
    super(`invalid config ${key}: ${detail}`);
    this.name = "ConfigError";
    this.key = key;
  }
}

type Options = object;

function raw(opts: Options, key: string): unknown {
  return (opts as Record<string, unknown>)[key];
}

function toNumber(key: string, v: unknown): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new ConfigError(key, `expected a finite number, got ${v}`);
    return v;
  }
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v.trim()))) return Number(v.trim());
  throw new ConfigError(
    key,
    `expected a number, got ${typeof v === "string" ? JSON.stringify(v) : typeof v}`,
  );
}

/** An integer option (undefined or null -> default), at least `min`. */
export function intOption(opts: Options, key: string, fallback: number, min = 0): number {
  const v = raw(opts, key);
  if (v === undefined || v === null) return fallback;
  const n = toNumber(key, v);
  if (!Number.isInteger(n)) throw new ConfigError(key, `expected an integer, got ${n}`);
  if (n < min) throw new ConfigError(key, `must be at least ${min}, got ${n}`);
  return n;
}

/** A number option (seconds, ratios), at least `min`, or strictly above it when `exclusive`. */
export function numberOption(
  opts: Options,
  key: string,
  fallback: number,
  min = 0,
  exclusive = false,
): number {
  const v = raw(opts, key);
  if (v === undefined || v === null) return fallback;
  const n = toNumber(key, v);
  if (exclusive ? n <= min : n < min)
    throw new ConfigError(key, `must be ${exclusive ? "greater than" : "at least"} ${min}, got ${n}`);
  return n;
}

export function boolOption(opts: Options, key: string, fallback: boolean): boolean {
  const v = raw(opts, key);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw new ConfigError(key, `expected a boolean, got ${typeof v}`);
  return v;
}

/** A string option; `null` when given as null or "" (the seed's "None"), `fallback` when absent. */
export function stringOption(opts: Options, key: string, fallback: string | null): string | null {
  const v = raw(opts, key);
  if (v === undefined) return fallback;
  if (v === null || v === "") return null;
  if (typeof v !== "string") throw new ConfigError(key, `expected a string, got ${typeof v}`);
  return v;
}

/**
 * A 32-byte key given as bytes or hex (with or without 0x, spaces ignored); null when absent,
 * null or "".
 */
export function keyOption(opts: Options, key: string): Uint8Array | null {
  const v = raw(opts, key);
  if (v === undefined || v === null || v === "") return null;
  let bytes: Uint8Array;
  if (v instanceof Uint8Array) bytes = v;
  else if (typeof v === "string") {
    const hex = v.replace(/\s+/g, "").replace(/^0x/i, "");
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new ConfigError(key, "not a hex string");
    bytes = Uint8Array.from(Buffer.from(hex, "hex"));
  } else throw new ConfigError(key, `expected a hex string or bytes, got ${typeof v}`);
  if (bytes.length !== 32) throw new ConfigError(key, `expected 32 bytes, got ${bytes.length}`);
  return bytes;
}

/** Levenshtein distance, small strings only (option names). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known key a misspelt one most likely means: the same letters without `_` and case, else the
 * nearest by edits when they are few (at most 2, or a third of the longer name).
 */
export function closestKey(key: string, known: Iterable<string>): string | null {
  const flat = (k: string): string => k.replace(/_/g, "").toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    if (flat(k) === flat(key)) return k;
    const d = editDistance(k, key);
    if (d <= Math.max(2, Math.floor(Math.max(k.length, key.length) / 3)) && d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Refuses keys of `opts` that are not in `known` (own enumerable keys whose value is not undefined):
 * a ConfigError naming the first unknown key, with the known key it most likely means. `what` names
 * the thing configured ("Node config", "RelayNode option", …).
 */
export function rejectUnknownKeys(opts: object, known: ReadonlySet<string>, what: string): void {
  for (const [key, value] of Object.entries(opts)) {
    if (value === undefined || known.has(key)) continue;
    const hint = closestKey(key, known);
    throw new ConfigError(key, `unknown ${what} key${hint === null ? "" : `; did you mean ${hint}?`}`);
  }
}
