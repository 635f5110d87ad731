// The advertisement list (facts §2.7), storage request pricing (§2.8) and the fair-use gate (§2.9).
import {
  AtomAdvertisements,
  AtomStore,
  InvalidStorageArgumentError,
  nextStoragePrice,
  PayloadType,
  paymentRequired,
  priceFactor,
  queuePressure,
  roundHalfEven,
  StorageRequestPricing,
} from "astreum";
import { describe, expect, it } from "vitest";

const id = (b: number): Uint8Array => new Uint8Array(32).fill(b);

describe("advertisements (the seed's atom_advertisments)", () => {
  it("adds entries with payload type and expiry (null = forever), one per id", () => {
    const ads = new AtomAdvertisements();
    ads.add(id(1));
    ads.add(id(2), PayloadType.LIST, 100);
    ads.addMany([
      [id(3), PayloadType.ATOM, 50],
      { atomId: id(1), payloadType: PayloadType.LIST, expiresAt: 70 },
    ]);
    expect(ads.entries.map((e) => [e.atomId[0], e.payloadType, e.expiresAt])).toEqual([
      [1, 2, 70],
      [2, 2, 100],
      [3, 1, 50],
    ]);
  });

  it("expire() drops entries at or past their expiry; live() filters without dropping", () => {
    const ads = new AtomAdvertisements();
    ads.addMany([
      [id(1), 1, 10],
      [id(2), 1, 20],
      [id(3), 1, null],
    ]);
    expect(ads.live(15).map((e) => e.atomId[0])).toEqual([2, 3]);
    expect(ads.size).toBe(3);
    expect(ads.expire(20)).toBe(2);
    expect(ads.entries.map((e) => e.atomId[0])).toEqual([3]);
  });

  it("announces each added batch to listeners (what makes the relay advertise at once)", () => {
    const ads = new AtomAdvertisements();
    const seen: number[][] = [];
    const off = ads.onAdd((batch) => seen.push(batch.map((e) => e.atomId[0]!)));
    ads.add(id(1));
    ads.addMany([[id(2)], [id(3)]]);
    off();
    ads.add(id(4));
    expect(seen).toEqual([[1], [2, 3]]);
  });

  it("rejects malformed entries before adding any of the batch", () => {
    const ads = new AtomAdvertisements();
    expect(() => ads.add(new Uint8Array(31))).toThrow(InvalidStorageArgumentError);
    expect(() => ads.add(id(1), 3 as PayloadType)).toThrow(/payload type/);
    expect(() => ads.addMany([[id(1)], [id(2), 1, Number.NaN]])).toThrow(/expiry/);
    expect(ads.size).toBe(0);
  });

  it("the store exposes the seed's API names", () => {
    const store = new AtomStore();
    store.addAtomAdvertisement(id(5), PayloadType.LIST);
    store.addAtomAdvertisements([[id(6), PayloadType.ATOM, 1e12]]);
    expect(store.atomAdvertisements.map((e) => [e.atomId[0], e.payloadType, e.expiresAt])).toEqual([
      [5, 2, null],
      [6, 1, 1e12],
    ]);
  });
});

describe("storage request pricing (facts §2.8)", () => {
  it("rounds half to even like Python's round()", () => {
    expect([0.5, 1.5, 2.5, 4.5, 5.5, 2.4, 2.6, 3.4999999999999996].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 6, 2, 3, 3,
    ]);
  });

  it("picks the factor of the first threshold at or above the pressure", () => {
    expect([0, 0.1, 0.1001, 0.5, 0.55, 0.9, 0.91, 1].map(priceFactor)).toEqual([
      0.6, 0.6, 0.7, 0.96, 1.04, 1.7, 2.5, 2.5,
    ]);
  });

  it("pressure is queued bytes over the limit, clamped, 0 without a limit", () => {
    expect(queuePressure(50, 100)).toBe(0.5);
    expect(queuePressure(500, 100)).toBe(1);
    expect(queuePressure(500, 0)).toBe(0);
  });

  it("moves the price by the factor, never below the minimum", () => {
    expect(nextStoragePrice(100, 1, 1)).toBe(250);
    expect(nextStoragePrice(100, 0, 1)).toBe(60);
    expect(nextStoragePrice(5, 0.75, 1)).toBe(6); // 5 × 1.3 = 6.5 -> 6 (half to even)
    expect(nextStoragePrice(2, 0, 1)).toBe(1);
    const p = new StorageRequestPricing(3);
    expect(p.current).toBe(3);
    expect(p.update(1)).toBe(8); // 7.5 -> 8
    expect(p.update(1)).toBe(20);
    for (let i = 0; i < 20; i++) p.update(0);
    expect(p.current).toBe(3);
    expect(new StorageRequestPricing(-4).current).toBe(0);
  });
});

describe("fair use (facts §2.9)", () => {
  const base = { fairUseLimit: 1000, fairUseRatio: 0.5, upload: 0, download: 0 };
  it("serves freely below the limit", () => {
    expect(paymentRequired({ ...base, size: 999 })).toBe(false);
  });
  it("past the limit a peer must have sent back ratio × what it received", () => {
    expect(paymentRequired({ ...base, size: 1000 })).toBe(true);
    expect(paymentRequired({ ...base, size: 500, upload: 600, download: 549 })).toBe(true);
    expect(paymentRequired({ ...base, size: 500, upload: 600, download: 550 })).toBe(false);
  });
  it("ratio 0 disables the gate; empty objects never need payment", () => {
    expect(paymentRequired({ ...base, size: 1e9, fairUseRatio: 0 })).toBe(false);
    expect(paymentRequired({ ...base, size: 0, upload: 1e9 })).toBe(false);
  });
});
