/**
 * Protocol extensions, negotiated through `HandshakeInfo.supportedFeatures`: an extension is used
 * with a peer only when both sides list it, so a node of the original protocol (which lists
 * "blocks", "transactions", "headers") is served exactly as before.
 */
export const FEATURES = {
  /** New blocks are announced with a Headers message of their header(s) instead of an Inv. */
  announceHeaders: "announce-headers/1",
  /**
   * New blocks are pushed whole (a Block message, unasked) to peers that list it: a block crosses a
   * hop in one trip instead of three (announce, ask, deliver). See the node README.
   */
  pushBlocks: "push-blocks/1",
  /** GetAddr/Addr: peers exchange bounded samples of addresses they know (address gossip). */
  addrGossip: "addr-gossip/1",
} as const;

export type Feature = (typeof FEATURES)[keyof typeof FEATURES];

/** The features both sides support. */
export function negotiatedFeatures(ours: readonly string[], theirs: readonly string[]): Set<string> {
  const known = new Set<string>(Object.values(FEATURES));
  return new Set(theirs.filter((f) => known.has(f) && ours.includes(f)));
}
