import type { CliIo } from "./io.js";

/** JSON.stringify replacer: bigints as decimal strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * Where results go: data to stdout (one JSON document with --json, text otherwise), notes and
 * prompts to stderr so stdout stays machine-readable.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Prints a command's result: `data` as JSON, or the human lines. */
  result(data: object, human: string | readonly string[]): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, jsonReplacer, 2)}\n`);
    else this.io.stdout.write(`${typeof human === "string" ? human : human.join("\n")}\n`);
  }

  /** A progress or advice line for people (stderr; silent with --json). */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`);
  }

  /** An error: one line of text, or {"error": {code, message}} with --json (both on stderr). */
  error(code: string, message: string, extra: Record<string, unknown> = {}): void {
    if (this.json)
      this.io.stderr.write(`${JSON.stringify({ error: { code, message, ...extra } }, jsonReplacer)}\n`);
    else this.io.stderr.write(`astram-wallet: error: ${message}\n`);
  }
}
