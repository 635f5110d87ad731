/** Ends a CLI with one line on stderr ("astram-node: …") and an exit status (1 = failed, 2 = bad configuration). */
export function failCli(message: string, code = 1): never {
  process.stderr.write(`astram-node: ${message}\n`);
  process.exit(code);
}

/** `--debug` on the command line or ASTRAM_DEBUG=1: unexpected errors print their stack trace. */
export function debugRequested(argv: readonly string[] = process.argv, env = process.env): boolean {
  return argv.includes("--debug") || env.ASTRAM_DEBUG === "1";
}

/**
 * Ends a CLI on an error nobody anticipated: one line with its message, or the stack trace under
 * --debug; exit status 1.
 */
export function failUnexpected(e: unknown): never {
  const err = e instanceof Error ? e : new Error(String(e));
  if (debugRequested()) process.stderr.write(`astram-node: unexpected error: ${err.stack ?? err.message}\n`);
  else
    failCli(
      `unexpected error: ${err.name === "Error" ? "" : `${err.name}: `}${err.message} (run with --debug for the stack trace)`,
    );
  process.exit(1);
}
