// The scheduled validator (facts §4.10). From a block: read the stakes in the treasury account's
// data trie, seed CPython's Mersenne Twister with the block hash (a 256-bit big-endian integer),
// and per 2-second slot up to the target time (at least one slot): draw r = randrange(total stake),
// walk the stakers by address ascending until r falls under the running sum, then halve the
// winner's stake (at least 1 stays), moving what it gives up from the treasury's balance to its
// account. The last winner is scheduled; the mutated accounts are the next block's starting state.
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

/** The validator scheduled after `block` (whose hash is `blockHash`) at `targetTime` (default ts + 1). */
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
  const stakers: { address: Uint8Array; record: TreasuryRecord }[] = [];
  for (const [address, recordId] of await stakeTrie.getAll())
    stakers.push({ address, record: await TreasuryRecord.load(lookup, recordId) });
  stakers.sort((a, b) => compareBytes(a.address, b.address));
  const rng = MersenneTwister.fromBigEndian(block.hash());
  const slots = Math.max(1, Math.ceil((target - ts) / SLOT_DURATION_SECONDS));
  let winner: Uint8Array | null = null;
  let changed = false;
  for (let s = 0; s < slots; s++) {
    const candidates = stakers.filter((c) => c.record.stakeBalance > 0n);
    const total = candidates.reduce((sum, c) => sum + c.record.stakeBalance, 0n);
    if (total <= 0n) throw new NoStakeError();
    const r = rng.randbelow(total);
    let acc = 0n;
    let pick = candidates[candidates.length - 1]!;
    for (const c of candidates) {
      acc += c.record.stakeBalance;
      if (r < acc) {
        pick = c;
        break;
      }
    }
    winner = pick.address;
    const old = pick.record.stakeBalance;
    const kept = old / 2n > 1n ? old / 2n : 1n;
    const returned = old - kept;
    if (returned > 0n) {
      pick.record = new TreasuryRecord(kept, pick.record.loansRoot, pick.record.totalInterestPaid);
      await stakeTrie.put(pick.address, pick.record.id());
      accounts.addAtoms(pick.record.atoms());
      treasury.balance -= returned;
      accounts.set(TREASURY_ADDRESS, treasury);
      const v = await accounts.getOrCreate(pick.address);
      v.balance += returned;
      accounts.set(pick.address, v);
      changed = true;
    }
  }
  if (changed) accounts.set(TREASURY_ADDRESS, treasury);
  return { validator: winner!, accounts, slots };
}
