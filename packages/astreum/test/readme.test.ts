// The package README's examples run: the quickstart, node, consensus, storage and relay examples
// (their output must match the text block after each), every row of the operator table, and the
// CLI transcript (against the built CLI).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { format } from "node:util";
import { Machine, printExpr } from "astreum";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(pkg, "README.md"), "utf8");

/** The fenced blocks that follow a `<!-- test:NAME ... -->` marker, in order. */
function blocksAfter(marker: string): { lang: string; body: string }[] {
  const at = readme.indexOf(`<!-- test:${marker}`);
  if (at < 0) throw new Error(`README has no test:${marker} marker`);
  const rest = readme.slice(at);
  const out: { lang: string; body: string }[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  for (let m = fence.exec(rest); m !== null && out.length < 2; m = fence.exec(rest)) {
    out.push({ lang: m[1] ?? "", body: m[2] ?? "" });
  }
  return out;
}

describe("README", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Each ts block after a marker runs as a module; what it logs must equal the text block after it.
  it.each(["quickstart", "node", "consensus", "storage", "relay"])(
    "the %s example runs and prints what the README says",
    async (marker) => {
      const [code, expected] = blocksAfter(marker);
      expect(code?.lang).toBe("ts");
      expect(expected?.lang).toBe("text");
      const dir = join(pkg, "test-artifacts");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `readme-${marker}.ts`);
      writeFileSync(file, code!.body);
      const lines: string[] = [];
      vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
        lines.push(format(...args));
      });
      await import(/* @vite-ignore */ pathToFileURL(file).href);
      expect(`${lines.join("\n")}\n`).toBe(expected!.body);
    },
    60_000,
  );

  it("every operator table example gives its stated result", () => {
    const at = readme.indexOf("<!-- test:operators -->");
    const table = readme.slice(at).split("\n\n")[1]!;
    const rows = table
      .split("\n")
      .slice(2)
      .map((r) => r.split("|").map((c) => c.trim()));
    expect(rows.length).toBe(15);
    for (const cells of rows) {
      const example = cells[4]!.replace(/^`|`$/g, "");
      const result = cells[5]!.replace(/^`|`$/g, "");
      const stack = new Machine(null).runSource(example);
      expect(`[${stack.map(printExpr).join(" ")}]`, example).toBe(result);
    }
  });

  describe("CLI transcript", () => {
    const cli = join(pkg, "dist", "cli", "main.js");
    beforeAll(() => {
      const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));
      execFileSync(process.execPath, [tsc, "-b", pkg], { stdio: "inherit" });
    }, 120_000);

    it("each $ line prints what follows it", () => {
      const [sh] = blocksAfter("cli");
      const steps: { args: string[]; output: string }[] = [];
      for (const line of sh!.body.trimEnd().split("\n")) {
        if (line.startsWith("$ astreum ")) steps.push({ args: shellWords(line.slice(10)), output: "" });
        else steps[steps.length - 1]!.output += `${line}\n`;
      }
      expect(steps.length).toBe(4);
      for (const { args, output } of steps) {
        const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
        expect(r.stdout + r.stderr, args.join(" ")).toBe(output);
      }
    });
  });
});

/** Splits a command line on spaces, honouring single quotes (all the README uses). */
function shellWords(s: string): string[] {
  const words: string[] = [];
  for (const m of s.matchAll(/'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2]!);
  return words;
}
