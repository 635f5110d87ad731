#!/usr/bin/env node
// The `astram-explorer` command. npm links bin files when it installs, before `tsc -b` has written dist/, and
// skips bins whose file is missing: this small committed file always exists and loads the build.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write(
    "astram-explorer: not built yet (no " +
      fileURLToPath(built) +
      "); run `npm run build` at the repository root\n",
  );
  process.exit(1);
}
await import(built.href);
