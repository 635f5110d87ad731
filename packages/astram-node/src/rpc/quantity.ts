/** Ethereum JSON-RPC value encodings. */

/** A quantity: minimal "0x" hex ("0x0" for zero). */
export function toQuantity(v: bigint | number): string {
  return "0x" + v.toString(16);
}

/** Fixed-size data: "0x" + exactly 2 x bytes lowercase hex (left-padded). */
export function toData(hex: string, bytes: number): string {
  const h = hex.replace(/^0x/, "").toLowerCase();
  return "0x" + h.padStart(bytes * 2, "0");
}

export const ZERO_HASH = toData("", 32);
export const ZERO_ADDRESS = toData("", 20);
export const EMPTY_BLOOM = toData("", 256);
/** keccak256(rlp([])): the uncles hash of a block without uncles. */
export const EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";
/** The root of an empty Merkle-Patricia trie. */
export const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
