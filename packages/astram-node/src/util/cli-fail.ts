/** Ends a CLI with one line on stderr ("astram-node: …") and an exit status (1 = failed, 2 = bad configuration). */
export function failCli(message: string, code = 1): never {
  process.stderr.write(`astram-node: ${message}\n`);
  process.exit(code);
}
