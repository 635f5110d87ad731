// Property runs start from the suite's fixed fast-check seed (vitest.setup.ts; FC_SEED overrides).
// Pieces of the relay without sockets: the Kademlia route (256 buckets of 16, XOR distance), the
// incoming queue (byte cap, 0 = no cap, timeout, difficulty from pressure), the replay guard and
// the rate limits.
import {
  compareDistance,
  difficultyForPressure,
  IncomingQueue,
  KeyedRateLimit,
  ReplayGuard,
  Route,
  sharedPrefixBits,
  TokenBucket,
} from "astreum";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const big = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString("hex")}`);
const key = (first: number, rest = 0): Uint8Array => {
  const k = new Uint8Array(32).fill(rest);
  k[0] = first;
  return k;
};
const from = { host: "127.0.0.1", port: 1 };

describe("route", () => {
  it("buckets by shared leading bits with the own key; the own key has none", () => {
    const r = new Route(key(0b0000_0000));
    expect(r.bucketIndex(key(0b1000_0000))).toBe(0);
    expect(r.bucketIndex(key(0b0100_0000))).toBe(1);
    expect(r.bucketIndex(key(0b0000_0001))).toBe(7);
    const last = new Uint8Array(32);
    last[31] = 1;
    expect(r.bucketIndex(last)).toBe(255);
    expect(r.bucketIndex(key(0))).toBe(-1);
    expect(r.add(key(0))).toBe(false);
    expect(sharedPrefixBits(key(1), key(1))).toBe(256);
  });

  it("a bucket holds 16; newcomers to a full bucket are ignored", () => {
    const r = new Route<string>(key(0));
    for (let i = 0; i < 20; i++) {
      const k = key(0x80, i);
      expect(r.add(k, `p${i}`)).toBe(i < 16);
    }
    expect(r.size).toBe(16);
    expect(r.hasRoomFor(key(0x80, 99))).toBe(false);
    expect(r.get(key(0x80, 3))).toBe("p3");
    expect(r.remove(key(0x80, 3))).toBe(true);
    expect(r.add(key(0x80, 99), "new")).toBe(true);
    expect(r.size).toBe(16);
  });

  it("property: closest() is the member with the least XOR distance as an unsigned integer", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (own, members, target) => {
          const r = new Route<number>(own);
          members.forEach((m, i) => {
            r.add(m, i);
          });
          const keys = r.keys();
          if (keys.length === 0) return;
          const dist = (k: Uint8Array) => big(k) ^ big(target);
          const want = keys.reduce((a, b) => (dist(b) < dist(a) ? b : a));
          expect(Buffer.from(r.closest(target)!.key).equals(Buffer.from(want))).toBe(true);
          const [x, y] = [keys[0]!, keys[keys.length - 1]!];
          expect(Math.sign(compareDistance(target, x, y))).toBe(Math.sign(Number(dist(x) - dist(y))));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("closestPerBucket lists one member per non-empty bucket; accept filters", () => {
    const r = new Route<string>(key(0));
    r.add(key(0x80, 1), "a");
    r.add(key(0x80, 2), "b");
    r.add(key(0x40, 1), "c");
    const target = key(0x80, 2);
    expect(r.closestPerBucket(target).map((m) => m.value)).toEqual(["b", "c"]);
    expect(r.closestPerBucket(target, (_k, v) => v !== "b").map((m) => m.value)).toEqual(["a", "c"]);
    expect(r.closest(target, (_k, v) => v === "c")!.value).toBe("c");
  });
});

describe("incoming queue", () => {
  it("accounts datagram length + 6 bytes against the cap; full with timeout 0 means drop", () => {
    const q = new IncomingQueue(100, 0);
    expect(q.offer(new Uint8Array(40), from, 48)).toBe("queued"); // 54
    expect(q.offer(new Uint8Array(30), from, 38)).toBe("queued"); // 98
    expect(q.queuedBytes).toBe(98);
    expect(q.offer(new Uint8Array(1), from, 9)).toBe("full");
    const item = q.take()!;
    expect(item.size).toBe(54);
    q.release(item);
    expect(q.queuedBytes).toBe(44);
    expect(q.offer(new Uint8Array(1), from, 9)).toBe("queued");
  });

  it("limit 0 is no cap", () => {
    const q = new IncomingQueue(0, 0);
    for (let i = 0; i < 1000; i++) expect(q.offer(new Uint8Array(1000), from, 1008)).toBe("queued");
    expect(q.difficulty()).toBe(1);
    expect(q.pressure()).toBe(0);
  });

  it("with a timeout, a datagram waits for room and is admitted, or dropped once the timeout passes", () => {
    let now = 1000;
    const q = new IncomingQueue(100, 500, () => now);
    q.offer(new Uint8Array(80), from, 88); // 94
    expect(q.offer(new Uint8Array(10), from, 18)).toBe("waiting");
    expect(q.offer(new Uint8Array(10), from, 18)).toBe("waiting");
    expect(q.length).toBe(1);
    now += 400;
    expect(q.release(q.take()!)).toBe(0); // both waiting items now fit
    expect(q.length).toBe(2);
    q.offer(new Uint8Array(60), from, 68); // 48 + 74 > 100 -> waits
    expect(q.waitingCount).toBe(1);
    now += 501;
    expect(q.admitWaiting()).toBe(1); // expired
    expect(q.waitingCount).toBe(0);
    // The waiting line is bounded by the same cap.
    const r = new IncomingQueue(100, 500, () => now);
    r.offer(new Uint8Array(90), from, 94);
    expect(r.offer(new Uint8Array(90), from, 94)).toBe("waiting");
    expect(r.offer(new Uint8Array(10), from, 18)).toBe("full");
  });

  it("demands more PoW as it fills (facts §3.5 table)", () => {
    expect(
      [0, 0.69, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 1].map(difficultyForPressure),
    ).toEqual([1, 1, 3, 5, 8, 12, 16, 19, 22, 24, 26, 26]);
    const q = new IncomingQueue(1000, 0);
    q.offer(new Uint8Array(900), from, 894); // 900 bytes
    expect(q.difficulty()).toBe(16);
  });
});

describe("replay guard and rate limits", () => {
  it("remembers at least the last `capacity` keys", () => {
    const g = new ReplayGuard(100);
    for (let i = 0; i < 250; i++) expect(g.seen(`k${i}`)).toBe(false);
    for (let i = 150; i < 250; i++) expect(g.seen(`k${i}`)).toBe(true);
    expect(g.size).toBeLessThanOrEqual(200);
  });

  it("a keyed limit allows one event per interval per key", () => {
    const l = new KeyedRateLimit(1000, 4);
    expect(l.allow("a", 0)).toBe(true);
    expect(l.allow("a", 999)).toBe(false);
    expect(l.allow("b", 999)).toBe(true);
    expect(l.allow("a", 1000)).toBe(true);
    for (let i = 0; i < 10; i++) l.allow(`x${i}`, 1500); // bounded memory
    expect(l.allow("x9", 1600)).toBe(false);
  });

  it("a token bucket allows `rate` per second after its burst", () => {
    const t = new TokenBucket(10, 3, 0);
    expect([0, 0, 0, 0].map((n) => t.take(n))).toEqual([true, true, true, false]);
    expect(t.take(100)).toBe(true);
    expect(t.take(100)).toBe(false);
  });
});
