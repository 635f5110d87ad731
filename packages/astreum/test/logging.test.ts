// Logging (facts §6, spec "Logging"): CSV rows and quoting, the console format, the instance id
// (vector computed with b3sum), the log directory, rotation at UTC midnight with gzip and
// retention under an injected clock, restart rotation, disk-full, the node's first record, and
// logging_enabled: false creating nothing.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import {
  CsvLogFile,
  callerOrigin,
  consoleLine,
  csvRow,
  defaultLogDirectory,
  entryScriptPath,
  instanceIdFor,
  isoTimestamp,
  Node,
  NodeLogger,
  parseCsv,
} from "astreum";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), "astreum-logging-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const at = (iso: string) => Date.parse(iso);
const HEADER = ["ts", "level", "msg", "module", "func"];

describe("formats", () => {
  it("CSV rows quote commas, quotes and newlines like Python's csv module, and parse back (property)", () => {
    expect(csvRow(["a", "b,c", 'say "hi"', "two\nlines"])).toBe('a,"b,c","say ""hi""","two\nlines"\n');
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map(csvRow).join("");
          expect(parseCsv(text)).toEqual(rows.map((r) => (r.length === 1 && r[0] === "" ? [""] : r)));
        },
      ),
    );
  });

  it("timestamps are ISO-8601 UTC with microseconds and offset", () => {
    expect(isoTimestamp(at("2025-04-13T12:34:56.789Z"))).toBe("2025-04-13T12:34:56.789000+00:00");
    expect(isoTimestamp(at("2025-01-02T03:04:05.000Z"))).toBe("2025-01-02T03:04:05.000000+00:00");
  });

  it("the verbose line is the seed's: [YYYY-MM-DD-SS-MM] [level] message (seconds before minutes)", () => {
    expect(consoleLine(at("2025-04-13T10:59:42Z"), "INFO", "Starting Astreum Node")).toBe(
      "[2025-04-13-42-59] [info] Starting Astreum Node",
    );
    expect(consoleLine(at("2025-04-13T10:59:42Z"), "WARNING", "x", "relay")).toBe(
      "[2025-04-13-42-59] [warning] relay: x",
    );
  });

  it("the instance id is the first 16 hex of BLAKE3 of the entry path (b3sum vector)", () => {
    // printf '%s' /srv/astreum/entry.js | b3sum
    expect(instanceIdFor("/srv/astreum/entry.js")).toBe("ba0c1ee33c09fe6c");
    expect(entryScriptPath("relative/x.js")).toBe(join(process.cwd(), "relative/x.js"));
    expect(entryScriptPath("")).toBe(process.cwd());
  });

  it("the log directory: XDG_STATE_HOME, ~/.local/state, or %LOCALAPPDATA% on Windows", () => {
    expect(defaultLogDirectory("abc", { XDG_STATE_HOME: "/state" }, "linux", "/home/u")).toBe(
      "/state/Astreum/lib-py/logs/abc",
    );
    expect(defaultLogDirectory("abc", {}, "linux", "/home/u")).toBe(
      "/home/u/.local/state/Astreum/lib-py/logs/abc",
    );
    expect(
      defaultLogDirectory("abc", { LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", "C:\\Users\\u"),
    ).toBe("C:\\Users\\u\\AppData\\Local\\Astreum\\lib-py\\logs\\abc");
  });

  it("module and func name the code that logged (like Python's record.module / funcName)", () => {
    function reportSomething() {
      return callerOrigin();
    }
    expect(reportSomething()).toEqual({ module: "logging.test", func: "reportSomething" });
  });
});

describe("CsvLogFile rotation (injected clock)", () => {
  it("rotates at UTC midnight to node-YYYY-MM-DD.csv.gz, header in every file", () => {
    const dir = temp();
    let now = at("2025-04-13T23:59:58Z");
    const file = new CsvLogFile({ directory: dir, now: () => now });
    file.write(now, [isoTimestamp(now), "INFO", "before midnight", "m", "f"]);
    file.flush();
    now = at("2025-04-14T00:00:01Z");
    file.write(now, [isoTimestamp(now), "INFO", "after midnight", "m", "f"]);
    file.flush();
    file.close();
    expect(readdirSync(dir).sort()).toEqual(["node-2025-04-13.csv.gz", "node.csv"]);
    const old = parseCsv(gunzipSync(readFileSync(join(dir, "node-2025-04-13.csv.gz"))).toString("utf8"));
    expect(old).toEqual([HEADER, ["2025-04-13T23:59:58.000000+00:00", "INFO", "before midnight", "m", "f"]]);
    const current = parseCsv(readFileSync(join(dir, "node.csv"), "utf8"));
    expect(current).toEqual([
      HEADER,
      ["2025-04-14T00:00:01.000000+00:00", "INFO", "after midnight", "m", "f"],
    ]);
  });

  it("keeps logging_retention_days rotated files, the newest", () => {
    const dir = temp();
    let now = at("2025-01-01T12:00:00Z");
    const file = new CsvLogFile({ directory: dir, retentionDays: 3, now: () => now });
    for (let day = 0; day < 8; day++) {
      now = at("2025-01-01T12:00:00Z") + day * 86_400_000;
      file.write(now, [isoTimestamp(now), "INFO", `day ${day}`, "m", "f"]);
      file.flush();
    }
    file.close();
    expect(readdirSync(dir).sort()).toEqual([
      "node-2025-01-05.csv.gz",
      "node-2025-01-06.csv.gz",
      "node-2025-01-07.csv.gz",
      "node.csv",
    ]);
  });

  it("a file left from an earlier day is rotated (under its day) when the log opens again", () => {
    const dir = temp();
    writeFileSync(join(dir, "node.csv"), "ts,level,msg,module,func\nold,INFO,x,m,f\n");
    const yesterday = at("2025-06-01T08:00:00Z") / 1000;
    utimesSync(join(dir, "node.csv"), yesterday, yesterday);
    writeFileSync(join(dir, "node.log"), "legacy json lines");
    const file = new CsvLogFile({ directory: dir, now: () => at("2025-06-02T09:00:00Z") });
    file.close();
    expect(readdirSync(dir).sort()).toEqual(["node-2025-06-01.csv.gz", "node.csv"]);
    expect(readFileSync(join(dir, "node.csv"), "utf8")).toBe("ts,level,msg,module,func\n");
  });

  it("a full disk disables the file instead of crashing", () => {
    const dir = temp();
    symlinkSync("/dev/full", join(dir, "node.csv"));
    const onDisabled = vi.fn();
    const file = new CsvLogFile({ directory: dir, onDisabled });
    file.write(Date.now(), ["t", "INFO", "m", "m", "f"]);
    file.flush();
    expect(file.disabled).toBe(true);
    expect(onDisabled).toHaveBeenCalledTimes(1);
    expect((onDisabled.mock.calls[0]![0] as NodeJS.ErrnoException).code).toBe("ENOSPC");
    file.close();
  });
});

describe("NodeLogger", () => {
  it("writes INFO and above with module and func; drops DEBUG; verbose mirrors to stdout", async () => {
    const dir = temp();
    const lines: string[] = [];
    const now = at("2025-04-13T10:59:42.5Z");
    const log = new NodeLogger({
      enabled: true,
      directory: dir,
      verbose: true,
      now: () => now,
      stdout: (l) => lines.push(l),
    });
    function announce() {
      log.info("hello, world");
      log.debug("not kept");
      log.warn("careful");
      log.error("broken");
    }
    announce();
    await new Promise((r) => setImmediate(r));
    const rows = parseCsv(readFileSync(join(dir, "node.csv"), "utf8"));
    expect(rows).toEqual([
      HEADER,
      ["2025-04-13T10:59:42.500000+00:00", "INFO", "hello, world", "logging.test", "announce"],
      ["2025-04-13T10:59:42.500000+00:00", "WARNING", "careful", "logging.test", "announce"],
      ["2025-04-13T10:59:42.500000+00:00", "ERROR", "broken", "logging.test", "announce"],
    ]);
    expect(lines).toEqual([
      "[2025-04-13-42-59] [info] hello, world",
      "[2025-04-13-42-59] [warning] careful",
      "[2025-04-13-42-59] [error] broken",
    ]);
    log.close();
  });

  it("nodes in one process share their instance directory's file", () => {
    const dir = temp();
    const a = new NodeLogger({ enabled: true, directory: dir });
    const b = new NodeLogger({ enabled: true, directory: dir });
    a.info("from a");
    b.info("from b");
    a.close();
    b.info("b still logs");
    b.close();
    const msgs = parseCsv(readFileSync(join(dir, "node.csv"), "utf8")).map((r) => r[2]);
    expect(msgs).toEqual(["msg", "from a", "from b", "b still logs"]);
  });
});

describe("the node's logging", () => {
  it("the first record is 'Starting Astreum Node', then the chain line", async () => {
    const dir = join(temp(), "logs");
    const node = new Node({ loggingDirectory: dir, chain: "main" });
    await node.close();
    const rows = parseCsv(readFileSync(join(dir, "node.csv"), "utf8"));
    expect(rows[0]).toEqual(HEADER);
    expect(rows[1]![2]).toBe("Starting Astreum Node");
    expect(rows[1]![1]).toBe("INFO");
    expect(rows[2]![2]).toBe("Chain configured as: main (1)");
    expect(rows[1]![3]).toBe("node");
  });

  it("without loggingDirectory the log goes to $XDG_STATE_HOME/Astreum/lib-py/logs/<instance id>", async () => {
    const state = temp();
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    try {
      const node = new Node({});
      await node.close();
      const id = instanceIdFor(entryScriptPath());
      expect(existsSync(join(state, "Astreum", "lib-py", "logs", id, "node.csv"))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
    }
  });

  it("verbose mirrors the node's records to stdout in the seed's format", async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const node = new Node({ loggingDirectory: join(temp(), "v"), verbose: true });
      await node.close();
    } finally {
      spy.mockRestore();
    }
    expect(out[0]).toMatch(/^\[\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\] \[info\] Starting Astreum Node\n$/);
  });

  it("logging_enabled: false creates nothing and starts nothing", async () => {
    const state = temp();
    const dir = join(state, "never");
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = state;
    const exitListeners = process.listenerCount("exit");
    const out = vi.spyOn(process.stdout, "write");
    try {
      const node = new Node({ logging_enabled: false, verbose: true, loggingDirectory: dir });
      expect(node.logger.enabled).toBe(false);
      expect(node.logger.path).toBeNull();
      node.logger.info("dropped");
      expect(process.listenerCount("exit")).toBe(exitListeners);
      const quiet = new Node({ logging_enabled: false });
      await node.close();
      await quiet.close();
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(state)).toEqual([]);
      expect(out).not.toHaveBeenCalled();
    } finally {
      out.mockRestore();
      if (saved === undefined) delete process.env.XDG_STATE_HOME;
      else process.env.XDG_STATE_HOME = saved;
    }
  });
});
