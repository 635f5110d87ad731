import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CliIo, runCli } from "../src/index.js";
import { tempHome } from "./helpers/process.js";

/** Fixed fast-check seed: every run replays the same cases (fast-check prints seed and path on failure). */
const SEED = 2100534699;

/** Polls until `check` holds (no timing assumptions). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

/** runCli in this process with captured output; stdin is a stream we control. */
function harness(opts: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdin = new PassThrough() as PassThrough & {
    isTTY?: boolean;
    setRawMode?: (m: boolean) => void;
    rawMode?: boolean;
  };
  if (opts.tty) {
    stdin.isTTY = true;
    stdin.setRawMode = (m: boolean) => {
      stdin.rawMode = m;
    };
  }
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdin,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: tempHome(), ...opts.env },
  };
  return { io, stdin, out: () => stdout, err: () => stderr };
}

describe("prompts on a terminal (raw mode, in-process)", () => {
  it("hides the password, handles backspace, asks twice for a new password", async () => {
    const h = harness({ tty: true });
    const run = runCli(["create", "--scrypt-n", "1024", "--json"], h.io);
    // Keystrokes: "passwordX", backspace, "1", Enter; then the repeat.
    await until(() => h.err().includes("New wallet password: "));
    h.stdin.write("passwordX\u007f1\r");
    await until(() => h.err().includes("Repeat the password: "));
    h.stdin.write("password1\r");
    expect(await run).toBe(0);
    expect(h.err()).toContain("New wallet password: ");
    expect(h.err()).toContain("Repeat the password: ");
    expect(h.err()).not.toContain("password1");
    expect(h.stdin.rawMode).toBe(false);
    expect(JSON.parse(h.out()).mnemonic.split(" ")).toHaveLength(12);
  });

  it("different repeated passwords are refused; Ctrl-C interrupts with status 130", async () => {
    const h = harness({ tty: true });
    const run = runCli(["create", "--scrypt-n", "1024"], h.io);
    await until(() => h.err().includes("New wallet password: "));
    h.stdin.write("password1\r");
    await until(() => h.err().includes("Repeat the password: "));
    h.stdin.write("password2\r");
    expect(await run).toBe(1);
    expect(h.err()).toContain("the two passwords differ");
    const c = harness({ tty: true });
    const interrupted = runCli(["create", "--scrypt-n", "1024"], c.io);
    await until(() => c.err().includes("New wallet password: "));
    c.stdin.write("pass\u0003");
    expect(await interrupted).toBe(130);
    expect(c.stdin.rawMode).toBe(false);
  });

  it("a pasted block answers several prompts; confirmations echo what is typed", async () => {
    const h = harness({ tty: true });
    const run = runCli(["create", "--scrypt-n", "1024"], h.io);
    await until(() => h.err().includes("New wallet password: "));
    h.stdin.write("password1\r\npassword1\r");
    expect(await run).toBe(0);
    const e = harness({ tty: true, env: { HOME: h.io.env.HOME! } });
    const exp = runCli(["export"], e.io);
    await until(() => e.err().includes("[y/N] "));
    e.stdin.write("y\ryes\r");
    await until(() => e.err().includes("Wallet password: "));
    expect(e.err()).toContain("[y/N] y\n");
    e.stdin.write("password1\r");
    expect(await exp).toBe(0);
    expect(e.out()).toMatch(/^0x[0-9a-f]{64}\n$/);
    expect(e.err()).not.toContain("password1");
  });
});

describe("garbage on the command line and on stdin", () => {
  it("never an internal error: every run ends with 0, 1, 2 or a known code (property)", async () => {
    const words = [
      "create",
      "import",
      "address",
      "balance",
      "send",
      "history",
      "export",
      "config",
      "view",
      "set",
      "init",
    ];
    const flags = [
      "--index",
      "--count",
      "--json",
      "--yes",
      "--fee-rate",
      "--node",
      "--wallet",
      "--limit",
      "--mnemonic",
      "--words",
    ];
    const token = fc.oneof(
      fc.constantFrom(...words, ...flags),
      fc.string({ maxLength: 12 }),
      fc.constant("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(token, { maxLength: 6 }),
        fc.string({ maxLength: 40 }),
        async (argv, input) => {
          const h = harness({
            env: { ASTRAM_NODE_RPC_URL: "http://127.0.0.1:9", ASTRAM_WALLET_TIMEOUT_MS: "2000" },
          });
          h.stdin.end(input);
          // A fast keystore for any create/import the generator produces.
          const args =
            argv.includes("create") || argv.includes("import") ? [...argv, "--scrypt-n", "1024"] : argv;
          const code = await runCli(args, h.io);
          expect([0, 1, 2]).toContain(code);
          expect(h.err()).not.toContain("unexpected error");
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
