import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests import sibling packages from their TypeScript sources; CLIs started as real processes
// run the built `dist/` (npm test builds first).
const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "astram-core/testing": fileURLToPath(
        new URL("./packages/astram-core/src/testing/index.ts", import.meta.url),
      ),
      "astram-core": src("astram-core"),
      astreum: src("astreum"),
      "astram-dns": src("astram-dns"),
      "astram-node": src("astram-node"),
      "astram-wallet": src("astram-wallet"),
      "astram-explorer": src("astram-explorer"),
    },
  },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    setupFiles: ["./vitest.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
