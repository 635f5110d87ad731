// The binary radix ("Patricia") trie of facts §4.5: maps byte-string keys to byte-string values;
// used for accounts (address -> account id) and account data (treasury stakes). Each node holds a
// bit prefix, an optional value and up to two children (by the next key bit). A node's chain:
//   Bytes(value or empty), child_1 slot, child_0 slot, Bytes(key_len as 2-byte BE ‖ key bits),
//   Symbol("trie")
// where a child slot is the chain Link whose head is the child by hash (or NIL when absent). Nodes
// are immutable and content-addressed: a put copies the path from the root; `takeAtoms` hands over
// the atoms of the nodes made since the last call that the current root still reaches.
import { BytesExpr, type Expr, LinkExpr, NIL, ZERO32 } from "../machine/expr.js";
import { idKey, idsEqual } from "../storage/atom-id.js";
import { atomize } from "../storage/atomize.js";
import { ConsensusDecodeError } from "./errors.js";
import {
  type AtomLookup,
  bytesItem,
  chainItems,
  expectSymbol,
  kindSymbol,
  slotTarget,
} from "./expr-chain.js";
import { canonical, ExprRecord } from "./expr-record.js";

export class TrieNode extends ExprRecord {
  private cachedExpr: LinkExpr | null = null;
  constructor(
    /** Prefix length in bits. */
    readonly keyLen: number,
    /** Prefix bits, most significant first, zero padded to whole bytes. */
    readonly key: Uint8Array,
    readonly value: Uint8Array | null,
    readonly child0: Uint8Array | null,
    readonly child1: Uint8Array | null,
  ) {
    super();
  }

  toExpr(): LinkExpr {
    if (this.cachedExpr === null) {
      const keyBytes = new Uint8Array(2 + this.key.length);
      keyBytes[0] = this.keyLen >> 8;
      keyBytes[1] = this.keyLen & 0xff;
      keyBytes.set(this.key, 2);
      const rest3 = new LinkExpr(new BytesExpr(keyBytes), kindSymbol("trie"));
      const rest2 =
        this.child0 === null ? new LinkExpr(NIL, rest3) : new LinkExpr(null, rest3, this.child0, null);
      const rest1 =
        this.child1 === null ? new LinkExpr(NIL, rest2) : new LinkExpr(null, rest2, this.child1, null);
      this.cachedExpr = new LinkExpr(new BytesExpr(this.value ?? new Uint8Array(0)), rest1);
    }
    return this.cachedExpr;
  }

  hash(): Uint8Array {
    return this.id();
  }

  static async load(lookup: AtomLookup, id: Uint8Array): Promise<TrieNode> {
    const items = await chainItems(lookup, id, 5, "trie node");
    await expectSymbol(lookup, items[4]!, "trie");
    const value = await bytesItem(lookup, items[0]!, "trie value");
    const keyBytes = await bytesItem(lookup, items[3]!, "trie key");
    if (keyBytes.length < 2) throw new ConsensusDecodeError("trie key needs its 2-byte length");
    const keyLen = (keyBytes[0]! << 8) | keyBytes[1]!;
    const key = keyBytes.slice(2);
    if (key.length !== Math.ceil(keyLen / 8)) throw new ConsensusDecodeError("trie key length mismatch");
    const node = new TrieNode(
      keyLen,
      key,
      value.length === 0 ? null : value,
      slotTarget(items[2]!),
      slotTarget(items[1]!),
    );
    return canonical(node, id, "trie node");
  }
}

function bitAt(bytes: Uint8Array, i: number): number {
  return (bytes[i >> 3]! >> (7 - (i & 7))) & 1;
}

/** Bits [start, end) of `bytes`, MSB-aligned and zero padded. */
function sliceBits(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  const out = new Uint8Array(Math.ceil(n / 8));
  if ((start & 7) === 0) {
    out.set(bytes.subarray(start >> 3, (start >> 3) + out.length));
    if (n & 7) out[out.length - 1]! &= 0xff << (8 - (n & 7));
    return out;
  }
  for (let i = 0; i < n; i++) if (bitAt(bytes, start + i)) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

// Decoded nodes are immutable and content-addressed, so one cache serves every trie.
const decoded = new Map<string, TrieNode>();
const DECODED_LIMIT = 200_000;

export class PatriciaTrie {
  private root: Uint8Array | null;
  private readonly nodes = new Map<string, TrieNode>();
  private created = new Set<string>();

  /** A trie whose root node has id `root` (null or ZERO32 = empty), reading nodes through `lookup`. */
  constructor(
    private readonly lookup: AtomLookup | null,
    root: Uint8Array | null = null,
  ) {
    this.root = root === null || idsEqual(root, ZERO32) ? null : root;
  }

  /** The root node's id; ZERO32 for an empty trie. */
  get rootHash(): Uint8Array {
    return this.root ?? ZERO32;
  }

  private async node(id: Uint8Array): Promise<TrieNode> {
    const k = idKey(id);
    const local = this.nodes.get(k) ?? decoded.get(k);
    if (local !== undefined) return local;
    if (this.lookup === null) throw new ConsensusDecodeError(`trie node ${k} is not available`);
    const n = await TrieNode.load(this.lookup, id);
    if (decoded.size >= DECODED_LIMIT) decoded.delete(decoded.keys().next().value!);
    decoded.set(k, n);
    return n;
  }

  private make(
    keyLen: number,
    key: Uint8Array,
    value: Uint8Array | null,
    child0: Uint8Array | null,
    child1: Uint8Array | null,
  ): TrieNode {
    const n = new TrieNode(keyLen, key, value, child0, child1);
    const k = idKey(n.hash());
    this.nodes.set(k, n);
    this.created.add(k);
    return n;
  }

  /** The value stored under `key`, or null. */
  async get(key: Uint8Array): Promise<Uint8Array | null> {
    const keyBits = key.length * 8;
    let id = this.root;
    let cursor = 0;
    while (id !== null) {
      const node = await this.node(id);
      if (cursor + node.keyLen > keyBits) return null;
      for (let i = 0; i < node.keyLen; i++) if (bitAt(node.key, i) !== bitAt(key, cursor + i)) return null;
      cursor += node.keyLen;
      if (cursor === keyBits) return node.value;
      id = bitAt(key, cursor) ? node.child1 : node.child0;
      cursor++;
    }
    return null;
  }

  /** Stores `value` (non-empty) under `key`, replacing any value there. */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    if (value.length === 0) throw new RangeError("a trie value is not empty");
    if (key.length === 0 || key.length > 8191) throw new RangeError("a trie key has 1 to 8191 bytes");
    this.root = (await this.insert(this.root, key, 0, value)).hash();
  }

  private async insert(
    id: Uint8Array | null,
    key: Uint8Array,
    cursor: number,
    value: Uint8Array,
  ): Promise<TrieNode> {
    const keyBits = key.length * 8;
    if (id === null) return this.make(keyBits - cursor, sliceBits(key, cursor, keyBits), value, null, null);
    const node = await this.node(id);
    let common = 0;
    while (
      common < node.keyLen &&
      cursor + common < keyBits &&
      bitAt(node.key, common) === bitAt(key, cursor + common)
    )
      common++;
    if (common === node.keyLen) {
      const c = cursor + node.keyLen;
      if (c === keyBits) return this.make(node.keyLen, node.key, value, node.child0, node.child1);
      if (bitAt(key, c)) {
        const child = await this.insert(node.child1, key, c + 1, value);
        return this.make(node.keyLen, node.key, node.value, node.child0, child.hash());
      }
      const child = await this.insert(node.child0, key, c + 1, value);
      return this.make(node.keyLen, node.key, node.value, child.hash(), node.child1);
    }
    // The prefixes diverge (or the key ends) inside this node: split it at `common`.
    const oldBit = bitAt(node.key, common);
    const lowered = this.make(
      node.keyLen - common - 1,
      sliceBits(node.key, common + 1, node.keyLen),
      node.value,
      node.child0,
      node.child1,
    ).hash();
    const prefix = sliceBits(node.key, 0, common);
    if (cursor + common === keyBits)
      // The key is a prefix of this node's path (undefined in the reference): the split node holds it.
      return this.make(common, prefix, value, oldBit ? null : lowered, oldBit ? lowered : null);
    const leaf = this.make(
      keyBits - cursor - common - 1,
      sliceBits(key, cursor + common + 1, keyBits),
      value,
      null,
      null,
    ).hash();
    return this.make(common, prefix, null, oldBit ? leaf : lowered, oldBit ? lowered : leaf);
  }

  /** Every (key, value) pair, keys reassembled from the bits and padded to bytes, in key order. */
  async getAll(): Promise<[Uint8Array, Uint8Array][]> {
    const out: [Uint8Array, Uint8Array][] = [];
    if (this.root === null) return out;
    const walk = async (id: Uint8Array, bits: number[]): Promise<void> => {
      const node = await this.node(id);
      const here = bits.slice();
      for (let i = 0; i < node.keyLen; i++) here.push(bitAt(node.key, i));
      if (node.value !== null) out.push([packBits(here), node.value]);
      if (node.child0 !== null) await walk(node.child0, [...here, 0]);
      if (node.child1 !== null) await walk(node.child1, [...here, 1]);
    };
    await walk(this.root, []);
    return out;
  }

  /**
   * The atoms of the nodes created since the last call that the current root reaches (what must be
   * stored so the trie can be read back); forgets them.
   */
  takeAtoms(): Expr[] {
    const out: Expr[] = [];
    const pending = this.root === null ? [] : [this.root];
    while (pending.length > 0) {
      const id = pending.pop()!;
      const k = idKey(id);
      if (!this.created.has(k)) continue;
      this.created.delete(k);
      const node = this.nodes.get(k)!;
      out.push(...atomize(node.toExpr()));
      if (node.child0 !== null) pending.push(node.child0);
      if (node.child1 !== null) pending.push(node.child1);
    }
    this.created = new Set();
    return out;
  }
}

function packBits(bits: number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}
