import type { P2pContext } from "./context.js";
import type { Peer } from "./peer.js";

/**
 * The announcement rule (the seed's "10 block announcements per minute per peer", made safe for
 * honest fast miners; README "Relay and ban policy"):
 *
 * - Announcements and blocks that bring us something new and valid never count, whatever their
 *   rate. Invalid data is scored by its own VerifyError, not here.
 * - Junk counts: announcing a block the peer already announced or delivered to us, announcing a block
 *   we delivered to it, an unsolicited block we already have or that connects to nothing we know,
 *   an announced block the peer then fails to deliver, unasked-for address lists.
 * - Over `blockAnnouncementsPerMinute` junk in a minute, the peer's announcements are ignored (the
 *   periodic header sync still finds any real block it has); over three times that, each further
 *   message with junk adds 20 to its ban score, so a flooder is banned within five more messages.
 */
export function noteJunk(ctx: P2pContext, peer: Peer, why: string, count = 1): void {
  const n = peer.junk.add(count);
  if (n > 3 * ctx.limits.blockAnnouncementsPerMinute)
    ctx.misbehave(peer, 20, `${why} (${n} junk in a minute)`);
}

/** True while the peer's junk is over the per-minute bound: its announcements are not followed. */
export function isIgnored(ctx: P2pContext, peer: Peer): boolean {
  return peer.junk.count() > ctx.limits.blockAnnouncementsPerMinute;
}
