// A fixed-height binary Merkle tree over byte-string leaves (facts §4.6, the reference's
// models/merkle): leaf hash = BLAKE3(value); inner hash = BLAKE3(left ‖ right), a missing right
// child contributing nothing. Height = number of levels (1 for one leaf); capacity 2^(height−1);
// index bits, most significant first, pick left (0) or right (1) on the way down.
import { blake3 } from "../machine/blake3.js";
import { MerkleIndexError } from "./errors.js";

interface MerkleNode {
  hash: Uint8Array;
  left: MerkleNode | null;
  right: MerkleNode | null;
  value: Uint8Array | null;
}

/** Fetches a node's value by its hash when the tree was built from hashes (optional). */
export type MerkleNodeGet = (hash: Uint8Array) => Uint8Array | null;

export class MerkleTree {
  private root: MerkleNode | null;
  readonly height: number;

  private constructor(root: MerkleNode | null, height: number) {
    this.root = root;
    this.height = height;
  }

  /** Builds the tree from at least one leaf. */
  static fromLeaves(leaves: readonly Uint8Array[], _options: { nodeGet?: MerkleNodeGet } = {}): MerkleTree {
    if (leaves.length === 0) throw new MerkleIndexError("a Merkle tree needs at least one leaf");
    let level: MerkleNode[] = leaves.map((v) => ({
      hash: blake3(v),
      left: null,
      right: null,
      value: Uint8Array.from(v),
    }));
    let height = 1;
    while (level.length > 1) {
      const next: MerkleNode[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const left = level[i]!;
        const right = level[i + 1] ?? null;
        next.push({ hash: innerHash(left, right), left, right, value: null });
      }
      level = next;
      height++;
    }
    return new MerkleTree(level[0]!, height);
  }

  get rootHash(): Uint8Array | null {
    return this.root?.hash ?? null;
  }

  get capacity(): number {
    return 2 ** (this.height - 1);
  }

  private path(index: number): MerkleNode[] | null {
    if (this.root === null || !Number.isInteger(index) || index < 0 || index >= this.capacity) return null;
    const nodes = [this.root];
    let node: MerkleNode | null = this.root;
    for (let bit = this.height - 2; bit >= 0; bit--) {
      node = (index >> bit) & 1 ? node.right : node.left;
      if (node === null) return null;
      nodes.push(node);
    }
    return nodes;
  }

  /** The leaf value at `index`, or null (negative, past the capacity, or a missing branch). */
  get(index: number): Uint8Array | null {
    const p = this.path(index);
    return p === null ? null : p[p.length - 1]!.value;
  }

  /** Replaces the leaf at `index` and rehashes up to the root; MerkleIndexError when it does not exist. */
  put(index: number, value: Uint8Array): void {
    const p = this.path(index);
    if (p === null) throw new MerkleIndexError(`no leaf at index ${index}`);
    const leaf = p[p.length - 1]!;
    leaf.value = Uint8Array.from(value);
    leaf.hash = blake3(value);
    for (let i = p.length - 2; i >= 0; i--) p[i]!.hash = innerHash(p[i]!.left!, p[i]!.right);
  }
}

function innerHash(left: MerkleNode, right: MerkleNode | null): Uint8Array {
  return right === null ? blake3(left.hash) : blake3(left.hash, right.hash);
}
