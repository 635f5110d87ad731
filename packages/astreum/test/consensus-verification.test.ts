// The verification worker's head selection and its patience with heads nobody serves, over a fake
// host (blocks already verified, so a round only chooses): the staleness bound compares candidates
// with each other (an idle chain's head is still adopted, a fork left behind is not), the future
// skew is against the clock, and a head that cannot be fetched is retried after a growing pause.
import {
  type Block,
  type Head,
  type Peer,
  silentLogger,
  UnavailableHeads,
  VerificationWorker,
} from "astreum";
import { describe, expect, it } from "vitest";

const NOW = 1_700_000_000; // seconds

function hash(n: number): Uint8Array {
  return new Uint8Array(32).fill(n);
}

function fakeBlock(height: number, timestamp: number): Block {
  return { height, timestamp, chainId: 0, isGenesis: false, previousBlockHash: hash(0) } as unknown as Block;
}

function setup(opts: { maxStale?: number; maxSkew?: number; current?: Head | null; interval?: number } = {}) {
  const blocks = new Map<number, Block>();
  const reported: number[] = [];
  let current: Head | null = opts.current ?? null;
  let clock = NOW * 1000;
  const fetches: number[] = [];
  const adopted: number[] = [];
  const worker = new VerificationWorker({
    chainId: 0,
    log: silentLogger,
    lookup: async () => null,
    intervalSeconds: opts.interval ?? 1,
    maxStaleSeconds: opts.maxStale ?? 10,
    maxFutureSkew: opts.maxSkew ?? 2,
    trustDefaultSeed: false,
    peers: () => reported.map((n) => ({ latestBlockHash: hash(n), isDefaultSeed: false }) as unknown as Peer),
    latest: () => current,
    getBlock: async (h) => {
      fetches.push(h[0]!);
      return blocks.get(h[0]!) ?? null;
    },
    isVerified: (h) => blocks.has(h[0]!),
    markVerified: () => {},
    rejection: () => undefined,
    reject: () => {},
    storeAtoms: async () => {},
    adopt: (head) => {
      current = head;
      adopted.push(head.hash[0]!);
    },
    now: () => clock,
  });
  return {
    worker,
    blocks,
    reported,
    fetches,
    adopted,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("head selection", () => {
  it("a node without a head adopts an idle chain's head, however old", async () => {
    const t = setup();
    t.blocks.set(1, fakeBlock(40, NOW - 3600));
    t.reported.push(1);
    await t.worker.round();
    expect(t.adopted).toEqual([1]);
  });

  it("the staleness bound drops a fork left behind by a fresher one, even a higher fork", async () => {
    const t = setup({ maxStale: 10 });
    t.blocks.set(1, fakeBlock(90, NOW - 100)); // higher, but its validator stopped 100 s ago
    t.blocks.set(2, fakeBlock(70, NOW - 1)); // the live chain
    t.reported.push(1, 2);
    await t.worker.round();
    expect(t.adopted).toEqual([2]);
  });

  it("a head older than the current one by more than the bound is not adopted, a newer higher one is", async () => {
    const t = setup({ maxStale: 10, current: { hash: hash(9), block: fakeBlock(50, NOW) } });
    t.blocks.set(1, fakeBlock(60, NOW - 30));
    t.reported.push(1);
    await t.worker.round();
    expect(t.adopted).toEqual([]);
    t.blocks.set(2, fakeBlock(61, NOW + 1));
    t.reported.push(2);
    await t.worker.round();
    expect(t.adopted).toEqual([2]);
  });

  it("the future skew is measured against the clock; negative settings disable both checks", async () => {
    const t = setup({ maxSkew: 2 });
    t.blocks.set(1, fakeBlock(5, NOW + 10));
    t.reported.push(1);
    await t.worker.round();
    expect(t.adopted).toEqual([]);
    const off = setup({ maxSkew: -1, maxStale: -1 });
    off.blocks.set(1, fakeBlock(5, NOW + 10));
    off.reported.push(1);
    await off.worker.round();
    expect(off.adopted).toEqual([1]);
  });
});

describe("heads nobody serves", () => {
  it("are retried after 1, 2, 4 … intervals, not every round", async () => {
    const t = setup({ interval: 1 });
    t.reported.push(7); // announced, never served
    const triesAt: number[] = [];
    for (let s = 0; s < 20; s++) {
      const before = t.fetches.length;
      await t.worker.round();
      if (t.fetches.length > before) triesAt.push(s);
      t.advance(1000);
    }
    // failures at 0, then after 1, 2, 4, 8 intervals
    expect(triesAt).toEqual([0, 1, 3, 7, 15]);
    expect(t.worker.stats.unavailable).toBe(5);
    // once served, it is adopted at its next try, and forgotten
    t.blocks.set(7, fakeBlock(3, NOW + 19));
    for (let s = 0; s < 20 && t.adopted.length === 0; s++) {
      await t.worker.round();
      t.advance(1000);
    }
    expect(t.adopted).toEqual([7]);
    expect(t.worker.unavailable.size).toBe(0);
  });

  it("are forgotten when no peer reports them any more, and at most 1,024 are remembered", () => {
    const u = new UnavailableHeads(1000);
    for (let i = 0; i < 1500; i++) u.failed(`h${i}`, 0);
    expect(u.size).toBe(1024);
    expect(u.due("h1499", 0)).toBe(false);
    expect(u.due("h0", 0)).toBe(true); // forgotten first
    u.keepOnly(new Set(["h1499"]));
    expect(u.size).toBe(1);
    // the pause doubles up to 64 intervals
    for (let i = 0; i < 20; i++) u.failed("x", 0);
    expect(u.due("x", 64_000 * 0.9 - 1)).toBe(false);
    expect(u.due("x", 64_000 * 0.9)).toBe(true);
  });
});
