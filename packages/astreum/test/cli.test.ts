// The `astreum` CLI, run as a real process from the built dist/ (built here if needed).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const cli = join(pkg, "dist", "cli", "main.js");
const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));

function astreum(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: "utf8", timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), "astreum-cli-"));
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  // `npm test` builds first; building again is an incremental no-op, and makes this file runnable alone.
  execFileSync(process.execPath, [tsc, "-b", pkg], { stdio: "inherit" });
}, 120_000);

describe("astreum eval / run", () => {
  it("eval prints the final stack", () => {
    expect(astreum(["eval", "(1 2 +)"])).toEqual({ code: 0, stdout: "[3]\n", stderr: "" });
    expect(astreum(["eval", "(1 2 link) 7 x"]).stdout).toBe("[(1 2) 7 ()]\n");
    expect(astreum(["eval", "--", "-5"]).stdout).toBe("[-5]\n");
  });

  it("run evaluates every top-level form of a file", () => {
    const path = file(
      "add.ast",
      `; define add, then call it
((' (a b)) (' add-params) def)
((' (a b +)) (' add-body) def)
(1 2 add-params add-body fn)
`,
    );
    expect(astreum(["run", path])).toEqual({ code: 0, stdout: "[3]\n", stderr: "" });
  });

  it("errors go to stderr with exit code 1; parse errors give file:line:column", () => {
    const bad = file("bad.ast", "(1 2 +)\n(3\n  (4 5)\n");
    const r = astreum(["run", bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: ${bad}:2:1: expected ')' to close the list opened at token 5, but the input ended at token 11\n`,
    );
    const under = astreum(["eval", "(1 +)"]);
    expect(under.code).toBe(1);
    expect(under.stderr).toBe(
      "error: STACK_UNDERFLOW: stack underflow in `+`: needs 2 operand(s), the stack holds 1\n",
    );
    const missing = astreum(["run", join(tmp, "nope.ast")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: cannot read .*nope\.ast/);
  });

  it("--meter-limit: exactly the cost passes, one byte less fails", () => {
    expect(astreum(["eval", "(1 2 +)", "--meter-limit", "4"]).stdout).toBe("[3]\n");
    const r = astreum(["eval", "(1 2 +)", "--meter-limit", "3"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: METER_EXCEEDED: meter limit exceeded/);
    expect(astreum(["eval", "1", "--meter-limit", "-1"]).code).not.toBe(0);
  });

  it("--no-threading makes spawn push NIL; actor failures are reported as warnings", () => {
    expect(astreum(["eval", "((1 2 link) a spawn)", "--no-threading"]).stdout).toBe("[(1 2) () ()]\n");
    const r = astreum(["eval", "((' (1 +)) (' bad) spawn) 5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("[bad 5]\n");
    expect(r.stderr).toMatch(/^warning: actor 'bad' ended with error: STACK_UNDERFLOW/);
  });

  it("eval and run stop a runaway program at a default meter limit; --no-meter-limit lifts it", () => {
    const r = astreum(["eval", "((' ((' ()) loop fn)) (' loop) def) ((' ()) loop fn)"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/METER_EXCEEDED: .* of 100000000 already used/);
    const lifted = astreum(["eval", "(1 2 +)", "--no-meter-limit"]);
    expect(lifted.stdout).toBe("[3]\n");
    const raised = astreum(["eval", "(1 2 +)", "--meter-limit", "200000000"]);
    expect(raised.stdout).toBe("[3]\n");
  });

  it("a runaway program ends at the meter limit instead of hanging", () => {
    const r = astreum([
      "eval",
      "((' ((' ()) loop fn)) (' loop) def) ((' ()) loop fn)",
      "--meter-limit",
      "100000",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/METER_EXCEEDED/);
  });
});

describe("astreum repl (driven over stdin)", () => {
  it("evaluates inputs, continues unbalanced lists over lines, answers :meter and :env, stops at :quit", () => {
    const input = [
      "(1 2 +)",
      "((' (a b))",
      "  (' add-params) def)",
      "(3 4 add-params (' (a b +)) fn)",
      ":env",
      ":meter",
      "(1 +)",
      ":quit",
      "(5 5 +)",
    ].join("\n");
    const r = astreum(["repl", "--meter-limit", "1000"], `${input}\n`);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain("astreum> [3]\n");
    expect(out).toContain("astreum> ...> []\n");
    expect(out).toContain("astreum> [7]\n");
    expect(out).toContain("add-params = (a b)\n");
    expect(out).toMatch(/meter: \d+ bytes used of 1000\n/);
    expect(out).toContain("error: STACK_UNDERFLOW: stack underflow in `+`");
    expect(out).not.toContain("[10]"); // after :quit nothing runs
  });

  it("keeps history across sessions in the history file", () => {
    const history = join(tmp, "history");
    astreum(["repl", "--history-file", history], "(1 2 +)\n(10\n 20 +)\n");
    expect(readFileSync(history, "utf8")).toBe('"(1 2 +)"\n"(10\\n 20 +)"\n');
    const r = astreum(["repl", "--history-file", history], ":history\n");
    expect(r.stdout).toContain("   1  (1 2 +)\n   2  (10\n 20 +)\n");
  });

  it("reports input that ends inside an open list, and :actors", () => {
    const r = astreum(["repl"], "((' ((' w) receive)) (' w) spawn)\n:actors\n(1 (2\n");
    expect(r.stdout).toContain("[w]\n");
    expect(r.stdout).toContain("w: waiting on 'w', 0 queued\n");
    expect(r.stdout).toContain("error: input ended inside 2 unclosed list(s)\n");
  });
});
