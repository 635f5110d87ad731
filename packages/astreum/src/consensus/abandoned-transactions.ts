// When a node switches from one head to another that does not descend from it, the blocks between
// the old head and the common ancestor leave the chain. Their transactions are not lost: the ones the
// new branch does not include go back to the validator's queue, where the state transition decides
// again whether they still apply (a stale counter or an emptied balance drops them then).
import { idKey } from "../storage/atom-id.js";
import type { Block } from "./block.js";
import type { AtomLookup } from "./expr-chain.js";
import { hashListIds } from "./expr-chain.js";
import type { Head } from "./validation-worker.js";

/** How far back the walk goes before giving up on finding the common ancestor. */
const MAX_DEPTH = 1_000;

/**
 * The hashes of the transactions in blocks of `oldHead`'s branch (back to the common ancestor with
 * `newHead`) that the new branch does not carry, oldest block first. Empty when the new head
 * descends from the old one, or when a block on the way cannot be loaded (nothing is guessed).
 */
export async function abandonedTransactions(
  lookup: AtomLookup,
  getBlock: (hash: Uint8Array) => Promise<Block | null>,
  oldHead: Head,
  newHead: Head,
  maxDepth = MAX_DEPTH,
): Promise<Uint8Array[]> {
  let a: Head = oldHead;
  let b: Head = newHead;
  const leaving: Block[] = [];
  const kept = new Set<string>();
  const parentOf = async (h: Head): Promise<Head | null> => {
    if (h.block.isGenesis) return null;
    const hash = h.block.previousBlockHash;
    const block = await getBlock(hash);
    return block === null ? null : { hash, block };
  };
  for (let steps = 0; idKey(a.hash) !== idKey(b.hash); steps++) {
    if (steps > maxDepth) return [];
    if (b.block.height >= a.block.height) {
      for (const id of await hashListIds(lookup, b.block.transactionsHash, "transaction list"))
        kept.add(idKey(id));
      const up = await parentOf(b);
      if (up === null) return [];
      b = up;
    } else {
      leaving.push(a.block);
      const up = await parentOf(a);
      if (up === null) return [];
      a = up;
    }
  }
  const out: Uint8Array[] = [];
  for (const block of leaving.reverse())
    for (const id of await hashListIds(lookup, block.transactionsHash, "transaction list"))
      if (!kept.has(idKey(id))) out.push(id);
  return out;
}
