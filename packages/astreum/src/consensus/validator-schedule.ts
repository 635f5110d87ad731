// The scheduled validator (facts §4.10). From a block: read the stakes in the treasury account's
// data trie, seed CPython's Mersenne Twister with the block hash (a 256-bit big-endian integer),
// and per 2-second slot up to the target time (at least one slot): draw r = randrange(total stake),
// walk the stakers by address ascending until r falls under the running sum, then halve the
// winner's stake (at least 1 stays), moving what it gives up from the treasury's balance to its
// account. The last winner is scheduled; the mutated accounts are the next block's starting state.

import { idKey } from "../storage/atom-id.js";
import { TREASURY_ADDRESS } from "./account.js";
import { Accounts } from "./accounts.js";
import type { Block } from "./block.js";
import { SLOT_DURATION_SECONDS } from "./difficulty.js";
import { NoStakeError } from "./errors.js";
import type { AtomLookup } from "./expr-chain.js";
import { MersenneTwister } from "./mt19937.js";
import { TreasuryRecord } from "./treasury-record.js";

export interface ScheduledValidator {
  /** The scheduled validator's public key. */
  validator: Uint8Array;
  /** The accounts after the stake halvings (the next block starts from these). */
  accounts: Accounts;
  /** How many slots were drawn. */
  slots: number;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export interface Staker {
  address: Uint8Array;
  stake: bigint;
}

/**
 * The draw itself, over plain stakes: per slot, r = randrange(total positive stake), the staker
 * (by address ascending) under whose running sum r falls wins and keeps max(1, stake / 2). Returns
 * the winner of each slot; `stakers` is updated in place.
 */
export function drawValidators(rng: MersenneTwister, stakers: Staker[], slots: number): Uint8Array[] {
  stakers.sort((a, b) => compareBytes(a.address, b.address));
  const winners: Uint8Array[] = [];
  for (let s = 0; s < slots; s++) {
    const candidates = stakers.filter((c) => c.stake > 0n);
    const total = candidates.reduce((sum, c) => sum + c.stake, 0n);
    if (total <= 0n) throw new NoStakeError();
    const r = rng.randbelow(total);
    let acc = 0n;
    let pick = candidates[candidates.length - 1]!;
    for (const c of candidates) {
      acc += c.stake;
      if (r < acc) {
        pick = c;
        break;
      }
    }
    pick.stake = pick.stake / 2n > 1n ? pick.stake / 2n : 1n;
    winners.push(pick.address);
  }
  return winners;
}

/** The validator scheduled after `block` at `targetTime` (default: its timestamp + 1). */
export async function currentValidator(
  lookup: AtomLookup,
  block: Block,
  targetTime?: number,
): Promise<ScheduledValidator> {
  const ts = block.timestamp;
  const target = targetTime === undefined || targetTime <= ts ? ts + 1 : targetTime;
  const accounts = new Accounts(lookup, block.accountsHash);
  const treasury = await accounts.get(TREASURY_ADDRESS);
  if (treasury === null) throw new NoStakeError();
  const stakeTrie = await accounts.dataTrie(TREASURY_ADDRESS);
  const records = new Map<string, { address: Uint8Array; record: TreasuryRecord }>();
  const stakers: Staker[] = [];
  for (const [address, recordId] of await stakeTrie.getAll()) {
    const record = await TreasuryRecord.load(lookup, recordId);
    records.set(idKey(address), { address, record });
    stakers.push({ address, stake: record.stakeBalance });
  }
  const slots = Math.max(1, Math.ceil((target - ts) / SLOT_DURATION_SECONDS));
  const winners = drawValidators(MersenneTwister.fromBigEndian(block.hash()), stakers, slots);
  // Apply the halvings: what each winner gave up moves from the treasury to its account.
  for (const s of stakers) {
    const held = records.get(idKey(s.address))!;
    const returned = held.record.stakeBalance - s.stake;
    if (returned <= 0n) continue;
    const record = new TreasuryRecord(s.stake, held.record.loansRoot, held.record.totalInterestPaid);
    await stakeTrie.put(s.address, record.id());
    accounts.addAtoms(record.atoms());
    treasury.balance -= returned;
    const v = await accounts.getOrCreate(s.address);
    v.balance += returned;
    accounts.set(s.address, v);
    accounts.set(TREASURY_ADDRESS, treasury);
  }
  return { validator: winners[winners.length - 1]!, accounts, slots };
}
