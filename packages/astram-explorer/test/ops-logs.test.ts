// What the explorer logs about its node: quiet while the node starts, one warning per outage, one
// line when it is back; and readable lines on request instead of JSON.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { NodeReachability } from "../src/indexer/node-reachability.js";
import { parseLogFormat } from "../src/log.js";

function recordingLogger() {
  const lines: { level: number; msg: string; outageSeconds?: number }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: "info" }, sink), lines };
}

const refused = new Error("connect ECONNREFUSED 127.0.0.1:19533");

describe("node reachability log", () => {
  it("waits quietly for a node that starts later, then says once that it is reachable", () => {
    const { log, lines } = recordingLogger();
    const r = new NodeReachability(log, "http://127.0.0.1:19533", 30_000, 0);
    for (let t = 0; t < 30_000; t += 2000) r.unreachable(refused, t);
    expect(lines).toEqual([]);
    r.reached(12_000);
    expect(lines).toEqual([]);
  });

  it("warns once if the node never answers within the grace period, and once on recovery", () => {
    const { log, lines } = recordingLogger();
    const r = new NodeReachability(log, "http://127.0.0.1:19533", 30_000, 0);
    for (let t = 0; t <= 120_000; t += 2000) r.unreachable(refused, t);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, "node not reachable yet; still waiting for it (is it running at http://127.0.0.1:19533?)"],
    ]);
    r.reached(122_000);
    expect(lines[1]).toMatchObject({ level: 30, msg: "node reachable; indexing starts", outageSeconds: 122 });
  });

  it("logs an outage once, however many retries fail, then its recovery with its length", () => {
    const { log, lines } = recordingLogger();
    const r = new NodeReachability(log, "http://127.0.0.1:19533", 30_000, 0);
    r.reached(1000);
    for (let t = 10_000; t < 70_000; t += 2000) r.unreachable(refused, t);
    r.reached(70_000);
    r.reached(72_000);
    expect(lines.map((l) => [l.level, l.msg, l.outageSeconds])).toEqual([
      [40, "node unreachable; retrying quietly until it is back", undefined],
      [30, "node reachable again; indexing resumes", 60],
    ]);
  });
});

describe("log format", () => {
  it("takes the flag over ASTRAM_LOG_FORMAT, defaults to auto, and refuses anything else", () => {
    expect(parseLogFormat(undefined, {})).toBe("auto");
    expect(parseLogFormat(undefined, { ASTRAM_LOG_FORMAT: "json" })).toBe("json");
    expect(parseLogFormat("pretty", { ASTRAM_LOG_FORMAT: "json" })).toBe("pretty");
    expect(() => parseLogFormat("xml", {})).toThrow('--log-format must be auto, pretty, json, not "xml"');
  });
});
