import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeFn } from "../src/index.js";
import { type Running, startDns, stopAll } from "./helpers.js";

// Every `curl` example in the README runs against a real server and must get exactly the JSON
// (or text) block that follows it. The README's session: --allow-private, P2P port 8335 open,
// 8336 closed, clock at 1770000000.
const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

interface Example {
  method: string;
  path: string;
  body: string | undefined;
  lang: string;
  expected: string;
}

function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function examples(): Example[] {
  const blocks = [...README.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const out: Example[] = [];
  blocks.forEach((block, i) => {
    const line = block.text.trim();
    if (block.lang !== "sh" || !line.startsWith("curl ")) return;
    const words = shellWords(line);
    let method = "GET";
    let body: string | undefined;
    let url = "";
    for (let w = 1; w < words.length; w++) {
      const word = words[w]!;
      if (word === "-X") method = words[++w]!;
      else if (word === "-d") body = words[++w]!;
      else if (word === "-H") w++;
      else if (!word.startsWith("-")) url = word;
    }
    const next = blocks[i + 1]!;
    out.push({
      method,
      path: new URL(url).pathname + new URL(url).search,
      body,
      lang: next.lang,
      expected: next.text,
    });
  });
  return out;
}

let dns: Running;
beforeAll(async () => {
  const probe: ProbeFn = async (_a, port) =>
    port === 8335
      ? { ok: true, latencyMs: 1, height: 42 }
      : { ok: false, failure: "unreachable", reason: "" };
  dns = await startDns({ allowPrivate: true, probe, now: () => 1_770_000_000_000 });
});
afterAll(stopAll);

describe("README examples", () => {
  const list = examples();
  it("finds the examples", () => {
    expect(list.length).toBeGreaterThanOrEqual(8);
  });
  // Sequential: later examples depend on the registration made by earlier ones.
  it("answer exactly as documented, in order", async () => {
    for (const ex of list) {
      const res = await fetch(dns.url + ex.path, {
        method: ex.method,
        headers: ex.body === undefined ? {} : { "content-type": "application/json" },
        body: ex.body,
      });
      const text = await res.text();
      if (ex.lang === "json")
        expect(JSON.parse(text), `${ex.method} ${ex.path}`).toEqual(JSON.parse(ex.expected));
      else expect(text).toBe(ex.expected.trimEnd());
    }
  });
  it("documents every config key, its environment variable and default", async () => {
    const { CONFIG_KEYS, CONFIG_SPECS, envName } = await import("../src/index.js");
    // Table rows as trimmed cells (the formatter pads columns).
    const rows = README.split("\n")
      .filter((l) => l.startsWith("| `--"))
      .map((l) => l.split("|").map((c) => c.trim()));
    for (const key of CONFIG_KEYS) {
      const d = CONFIG_SPECS[key].default;
      const shown = Array.isArray(d) ? "none" : `\`${d}\``;
      expect(rows).toContainEqual(
        expect.arrayContaining([
          `\`--${CONFIG_SPECS[key].flag}\``,
          `\`${key}\``,
          `\`${envName(key)}\``,
          shown,
        ]),
      );
    }
  });
});
