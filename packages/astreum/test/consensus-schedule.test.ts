// The scheduled validator (facts §4.10): CPython-compatible MT19937 (vectors computed once with
// CPython's own `random` module by fixtures/make-consensus-vectors.py), the stake-weighted draw,
// and the reference's tests.node.test_current_validator.
import {
  Accounts,
  AtomStore,
  Block,
  createGenesis,
  currentValidator,
  drawValidators,
  generateKeyPair,
  leadingZeroBits,
  MersenneTwister,
  NoStakeError,
  TREASURY_ADDRESS,
  TreasuryRecord,
} from "astreum";
import { describe, expect, it } from "vitest";
import { fixture, hex } from "./helpers.js";

interface MtCase {
  seed: string;
  hash?: string;
  getrandbits32: number[];
  getrandbits: string[];
  randrange: string[];
}
interface ScheduleCase {
  hash: string;
  stakers: { address: string; stake: string }[];
  slots: number;
  winners: string[];
  finalStakes: Record<string, string>;
}
const vectors = fixture<{ mt: MtCase[]; schedule: ScheduleCase[] }>("consensus-vectors.json");
const h = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("MersenneTwister (CPython random.Random)", () => {
  it("random.Random(42).getrandbits(32): 2746317213, 478163327, 107420369", () => {
    const r = new MersenneTwister(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual([2746317213, 478163327, 107420369]);
  });

  it.each(vectors.mt.map((c) => [c.hash ?? c.seed, c] as const))("seed %s matches CPython", (_name, c) => {
    const make = () =>
      c.hash === undefined ? new MersenneTwister(BigInt(c.seed)) : MersenneTwister.fromBigEndian(h(c.hash));
    let r = make();
    expect(c.getrandbits32.map(() => r.nextUint32())).toEqual(c.getrandbits32);
    r = make();
    expect([1, 7, 31, 32, 33, 64, 70, 256].map((k) => r.getrandbits(k).toString())).toEqual(c.getrandbits);
    r = make();
    const ns = [1n, 2n, 3n, 10n, 1000n, 2n ** 32n, 2n ** 32n + 1n, 10n ** 30n];
    expect(ns.map((n) => r.randbelow(n).toString())).toEqual(c.randrange);
  });

  it("randrange(0) is an error, as in CPython", () => {
    expect(() => new MersenneTwister(1).randbelow(0n)).toThrow(RangeError);
  });
});

describe("the stake-weighted draw", () => {
  it.each(vectors.schedule.map((c, i) => [i, c] as const))(
    "vector %d: winners and halved stakes match",
    (_i, c) => {
      const stakers = c.stakers.map((s) => ({ address: h(s.address), stake: BigInt(s.stake) }));
      const winners = drawValidators(MersenneTwister.fromBigEndian(h(c.hash)), stakers, c.slots);
      expect(winners.map(hex)).toEqual(c.winners);
      expect(Object.fromEntries(stakers.map((s) => [hex(s.address), s.stake.toString()]))).toEqual(
        c.finalStakes,
      );
    },
  );

  it("no positive stake is an error", () => {
    expect(() => drawValidators(new MersenneTwister(1), [{ address: h("01"), stake: 0n }], 1)).toThrow(
      NoStakeError,
    );
  });
});

describe("currentValidator (tests.node.test_current_validator)", () => {
  it("genesis for a fresh key, stored, nonce at difficulty 1: the schedule names that key", async () => {
    const { secretKey, publicKey } = generateKeyPair();
    const store = new AtomStore();
    await store.start();
    const { block, atoms } = await createGenesis({
      chainId: 0,
      timestamp: 1_700_000_000,
      validatorSecretKey: secretKey,
    });
    block.generateNonce(1, secretKey);
    expect(leadingZeroBits(block.hash())).toBeGreaterThanOrEqual(1);
    for (const a of [...atoms, ...block.atoms()]) await store.putAtom(a);
    const stored = await Block.load((id) => store.getLocal(id), block.hash());
    const s = await currentValidator((id) => store.getLocal(id), stored, stored.timestamp + 1);
    expect(hex(s.validator)).toBe(hex(publicKey));
    expect(s.slots).toBe(1);
    // Genesis' single stake of 1 cannot be halved below 1: nothing moves.
    expect((await s.accounts.get(TREASURY_ADDRESS))!.balance).toBe(1n);
    await store.stop();
  });

  it("slots = ceil((target − ts) / 2); halvings move stake from the treasury to the winner", async () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    const accounts = new Accounts(() => null, null);
    const { Account } = await import("astreum");
    accounts.set(TREASURY_ADDRESS, new Account({ balance: 1500n }));
    const stakes = await accounts.dataTrie(TREASURY_ADDRESS);
    for (const [k, s] of [
      [a.publicKey, 1000n],
      [b.publicKey, 500n],
    ] as const) {
      const r = new TreasuryRecord(s);
      await stakes.put(k, r.id());
      accounts.addAtoms(r.atoms());
    }
    const { root, atoms } = await accounts.commit();
    const block = new Block({ chainId: 0, height: 5, timestamp: 100, accountsHash: root });
    const m = new Map(atoms.map((x) => [hex(x.hash()), x]));
    const lookup = (id: Uint8Array) => m.get(hex(id)) ?? null;
    const s = await currentValidator(lookup, block, 109);
    expect(s.slots).toBe(5);
    // The same draw over plain stakes, seeded with the block hash.
    const plain = [
      { address: a.publicKey, stake: 1000n },
      { address: b.publicKey, stake: 500n },
    ];
    const winners = drawValidators(MersenneTwister.fromBigEndian(block.hash()), plain, 5);
    expect(hex(s.validator)).toBe(hex(winners[4]!));
    const moved = 1500n - plain.reduce((x, p) => x + p.stake, 0n);
    const treasury = (await s.accounts.get(TREASURY_ADDRESS))!;
    expect(treasury.balance).toBe(1500n - moved);
    const balances = (await s.accounts.get(a.publicKey))?.balance ?? 0n;
    const balancesB = (await s.accounts.get(b.publicKey))?.balance ?? 0n;
    expect(balances + balancesB).toBe(moved);
    // A target at or before the block's time counts as one slot.
    expect((await currentValidator(lookup, block, 50)).slots).toBe(1);
  });
});
