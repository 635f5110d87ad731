/**
 * A fuzz target: a function over bytes that may only ever throw its documented error classes.
 * Anything else it throws (or an OracleViolation it raises itself, such as a decode that does not
 * survive a re-encode) is a finding.
 */
export interface FuzzTarget<Context = unknown> {
  readonly name: string;
  readonly description: string;
  /** Script URLs (file:// paths) whose blocks count as this target's coverage. */
  readonly coverage: RegExp;
  /** Longest input the mutator produces. */
  readonly maxLength: number;
  /** Tokens the mutator inserts (keywords, markers, field names). */
  readonly dictionary: readonly Uint8Array[];
  /** Recorded valid inputs: each must run without throwing. Deterministic. */
  seeds(): Uint8Array[];
  /** Resources the runs share (an in-process node); torn down once at the end. */
  setup?(): Promise<Context>;
  teardown?(context: Context): Promise<void>;
  /** One execution. Throws only what `expected` accepts, unless it found a bug. */
  run(input: Uint8Array, context: Context): void | Promise<void>;
  /** The documented failure of this input surface. */
  expected(error: unknown): boolean;
}

/** Raised by a target when an input breaks an invariant without an exception of its own. */
export class OracleViolation extends Error {
  override readonly name = "OracleViolation";
  readonly code = "ORACLE_VIOLATION";
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const tokens = (...words: string[]): Uint8Array[] => words.map(utf8);

const lossy = new TextDecoder("utf-8", { fatal: false });
/** Text targets see their bytes as UTF-8 (invalid sequences become U+FFFD). */
export const text = (input: Uint8Array): string => lossy.decode(input);
