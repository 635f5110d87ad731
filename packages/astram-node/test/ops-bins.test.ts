// Every workspace CLI is a small committed file under bin/ (npm links bins at install time, before
// dist/ is built, and skips missing ones), which loads the build or says how to make it.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const CLIS = [
  { pkg: "astram-node", help: /Usage: astram-node/ },
  { pkg: "astram-wallet", help: /Usage: astram-wallet/ },
  { pkg: "astram-explorer", help: /Usage: astram-explorer/ },
  { pkg: "astram-dns", help: /Usage: astram-dns/ },
  { pkg: "astreum", help: /Usage: astreum/ },
] as const;

function manifest(pkg: string): { bin: Record<string, string>; files: string[]; engines: { node: string } } {
  return JSON.parse(readFileSync(join(root, "packages", pkg, "package.json"), "utf8"));
}

describe("workspace CLIs", () => {
  for (const { pkg, help } of CLIS) {
    it(`${pkg}: bin/${pkg}.js exists before any build, is packed, runs the built CLI`, () => {
      const m = manifest(pkg);
      expect(m.bin).toEqual({ [pkg]: `./bin/${pkg}.js` });
      expect(m.files).toContain("bin");
      expect(m.engines.node).toBe("^20.19.0 || ^22.12.0 || >=24.0.0");
      const bin = join(root, "packages", pkg, "bin", `${pkg}.js`);
      expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
      const r = spawnSync(process.execPath, [bin, "--help"], { encoding: "utf8", timeout: 30_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(help);
    }, 60_000);
  }

  it("without a build, a CLI says to run npm run build (exit 1) instead of a module-not-found trace", () => {
    const pkgDir = join(tempDir(), "astram-wallet");
    mkdirSync(join(pkgDir, "bin"), { recursive: true });
    copyFileSync(
      join(root, "packages/astram-wallet/bin/astram-wallet.js"),
      join(pkgDir, "bin/astram-wallet.js"),
    );
    expect(existsSync(join(pkgDir, "dist"))).toBe(false);
    const r = spawnSync(process.execPath, [join(pkgDir, "bin/astram-wallet.js"), "--help"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `astram-wallet: not built yet (no ${join(pkgDir, "dist/cli.js")}); run \`npm run build\` at the repository root\n`,
    );
  });
});
