import { ConfigError, Machine, Meter, MeterExceededError } from "astreum";
import { describe, expect, it } from "vitest";
import { runSrc } from "./helpers.js";

const FIB = `((' (n)) (' p) def)
((' ((n 0 is_eq) 0 (' ((n 1 is_eq) 1 (' ((n -1 + p fib fn) (n -2 + p fib fn) +)) if)) if)) (' fib) def)
(10 p fib fn)`;

describe("Meter (facts §5.8)", () => {
  it("charges, ignores negatives, allows reaching the limit exactly, refuses to pass it", () => {
    const m = new Meter(true, 10);
    m.charge(4);
    m.charge(-3);
    m.charge(6);
    expect(m.used).toBe(10);
    expect(() => m.charge(1)).toThrow(MeterExceededError);
    expect(m.used).toBe(10);
    try {
      m.charge(5);
    } catch (e) {
      const err = e as MeterExceededError;
      expect(err.code).toBe("METER_EXCEEDED");
      expect([err.limit, err.used, err.attempted]).toEqual([10, 10, 5]);
      expect(err.message).toBe("meter limit exceeded: charging 5 byte(s) with 10 of 10 already used");
    }
  });

  it("a disabled meter counts nothing; no limit counts without failing", () => {
    const off = new Meter(false, 0);
    off.charge(100);
    expect(off.used).toBe(0);
    const free = new Meter();
    free.charge(1e9);
    expect(free.used).toBe(1e9);
    expect(() => new Meter(true, -1)).toThrow(RangeError);
  });

  it("a program's exact cost passes as the limit; one byte less fails", () => {
    const cost = runSrc(FIB).machine.meter.used;
    expect(cost).toBeGreaterThan(100);
    const exact = runSrc(FIB, { meterLimit: cost });
    expect(exact.stack.length).toBe(1);
    expect(exact.machine.meter.used).toBe(cost);
    const m = new Machine(null, { meterLimit: cost - 1 });
    expect(() => m.runSource(FIB)).toThrow(MeterExceededError);
    expect(m.meter.used).toBeLessThanOrEqual(cost - 1);
  });

  it("(1 2 +) costs 4: limit 4 passes, limit 3 fails with 2 used", () => {
    expect(runSrc("(1 2 +)", { meterLimit: 4 }).machine.meter.used).toBe(4);
    const m = new Machine(null, { meterLimit: 3 });
    expect(() => m.runSource("(1 2 +)")).toThrow(MeterExceededError);
    expect(m.meter.used).toBe(2);
  });

  it("meterEnabled false: nothing is counted and no limit applies", () => {
    const { machine } = runSrc(FIB, { meterEnabled: false, meterLimit: 1 });
    expect(machine.meter.used).toBe(0);
  });

  it("the meter accumulates across runs of one machine", () => {
    const m = new Machine(null);
    m.runSource("(1 2 +)");
    m.runSource("(1 2 +)");
    expect(m.meter.used).toBe(8);
  });

  it("charges per facts §5.7", () => {
    const cost = (src: string) => runSrc(src).machine.meter.used;
    expect(cost("(1 2 link)")).toBe(3);
    expect(cost("(5 (' abc) def)")).toBe(1 + 3 + 3 + 1); // 5, quote pushes abc (3), def: size(name)+size(value)
    // 1, 2, quoted params (2), quoted body (3), fn: size(params) + args (2 + 2), body: a (2), b (2), + (2)
    expect(cost("(1 2 (' (a b)) (' (a b +)) fn)")).toBe(1 + 1 + 2 + 3 + 4 + 6);
    expect(cost("((' (1 2 3)) (' (1 2)) is_eq)")).toBe(3 + 2 + 3);
    expect(cost("(1000 100000 +)")).toBe(2 + 3 + 6);
  });
});

describe("Machine options", () => {
  it("take the seed's snake_case spellings too; unknown keys are errors naming the key", () => {
    const seed = new Machine(null, { meter_enabled: true, meter_limit: 1_000_000, allow_threading: false });
    expect([seed.meter.limit, seed.meter.enabled, seed.allowThreading]).toEqual([1_000_000, true, false]);
    expect(() => seed.runSource("(1 2 +)")).not.toThrow();
    const tight = new Machine(null, { meter_limit: 3 });
    expect(() => tight.runSource("(1 2 +)")).toThrow(MeterExceededError);
    const bad: [object, string, RegExp?][] = [
      [{ bogus_key: 1 }, "bogus_key"],
      [{ meterlimit: 5 }, "meterlimit", /did you mean meterLimit\?/],
      [{ meterLimit: 5, meter_limit: 6 }, "meter_limit", /given twice/],
      [{ meter_limit: -1 }, "meterLimit"],
      [{ meterEnabled: "yes" }, "meterEnabled"],
      [{ limits: { maxDepth: 5 } }, "maxDepth", /did you mean maxCallDepth\?/],
      [{ limits: { maxCallDepth: 0 } }, "maxCallDepth"],
    ];
    for (const [opts, key, message] of bad) {
      let err: unknown;
      try {
        new Machine(null, opts as never);
      } catch (e) {
        err = e;
      }
      expect(err, key).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).key).toBe(key);
      if (message !== undefined) expect((err as Error).message).toMatch(message);
    }
  });
});
