import type { AstreumRunRecord, HeadEvent } from "./run-record.js";

/** Head lag of one node at one instant: blocks it trails the validator's head. */
export interface LagSample {
  readonly node: string;
  /** Seconds since the network was up (or since the run started). */
  readonly seconds: number;
  readonly lag: number;
}

export interface LateJoinerFigure {
  readonly node: string;
  /** From its listening to its first head at or above the validator's height then (s). */
  readonly adoptionSec: number | null;
  readonly withinTwoIntervals: boolean;
}

export interface RestartFigure {
  readonly node: string;
  /** It announced the same relay key after the restart as at its first start. */
  readonly keyKept: boolean;
  /** From the restart to its first new block (s). */
  readonly firstBlockSec: number | null;
  /** From the restart until every other running node had that block or a later one (s). */
  readonly allFollowSec: number | null;
}

export interface AstreumFigures {
  readonly scenario: string;
  readonly nodes: number;
  readonly durationSec: number;
  readonly verifyIntervalSec: number;
  readonly validatorHeight: number;
  readonly finalAllOnHead: boolean;
  /** Share of honest non-validator nodes on the validator's head, sampled each second. */
  readonly onHeadShare: { readonly mean: number; readonly final: number };
  readonly headLag: { readonly max: number; readonly mean: number; readonly samples: readonly LagSample[] };
  readonly lateJoiners: readonly LateJoinerFigure[];
  /** Share of late joiners on the head within two verification intervals (null: none joined). */
  readonly lateJoinersWithinTwoIntervals: number | null;
  readonly flood: { readonly sent: number; readonly ratePerSec: number };
  /** Distinct (node, key) route-table entries whose address is no honest node's (goal 0). */
  readonly fakePeersAdmitted: number;
  /** Honest peers removed from a route table while a flood ran (goal 0). */
  readonly honestPeersDisplaced: number;
  readonly restarts: readonly RestartFigure[];
}

/** The head of each node at time t, from its head events in time order. */
class HeadTimeline {
  private readonly byNode = new Map<string, HeadEvent[]>();

  constructor(heads: readonly HeadEvent[]) {
    for (const h of [...heads].sort((a, b) => a.at - b.at)) {
      const list = this.byNode.get(h.node) ?? [];
      list.push(h);
      this.byNode.set(h.node, list);
    }
  }

  events(node: string): readonly HeadEvent[] {
    return this.byNode.get(node) ?? [];
  }

  at(node: string, t: number): HeadEvent | undefined {
    let found: HeadEvent | undefined;
    for (const h of this.events(node)) {
      if (h.at > t) break;
      found = h;
    }
    return found;
  }

  /** The first head of `node` at or above `height`, at or after `from`. */
  firstAtHeight(node: string, height: number, from: number): HeadEvent | undefined {
    return this.events(node).find((h) => h.at >= from && h.height >= height);
  }
}

/** Pure: the figures of one run. */
export function astreumFigures(r: AstreumRunRecord): AstreumFigures {
  const heads = new HeadTimeline(r.heads);
  const validator = r.nodes.find((n) => n.role === "validator");
  const others = r.nodes.filter((n) => n.role !== "validator");
  const up = r.events.find((e) => e.kind === "network-up")?.at ?? r.startedAt;
  const interval = r.config.verifyIntervalSec;

  const down = (node: string, t: number): boolean => {
    const rec = r.nodes.find((n) => n.id === node)!;
    const lastStart = [...rec.starts].reverse().find((s) => s.at <= t);
    const lastKill = [...rec.kills].reverse().find((k) => k <= t);
    return lastStart === undefined || (lastKill !== undefined && lastKill > lastStart.at);
  };

  // Head lag and share on head, each second from the network being up.
  const samples: LagSample[] = [];
  const shares: number[] = [];
  if (validator) {
    for (let t = up; t <= r.endedAt; t += 1000) {
      const vh = heads.at(validator.id, t);
      if (!vh) continue;
      let on = 0;
      let counted = 0;
      for (const n of others) {
        const h = heads.at(n.id, t);
        if (!h || down(n.id, t)) continue;
        counted++;
        if (h.hash === vh.hash) on++;
        samples.push({ node: n.id, seconds: (t - up) / 1000, lag: Math.max(0, vh.height - h.height) });
      }
      if (counted > 0) shares.push(on / counted);
    }
  }
  const lags = samples.map((s) => s.lag);
  const validatorLast = validator ? heads.events(validator.id).at(-1) : undefined;
  const lastOf = (id: string) => heads.events(id).at(-1);

  const lateJoiners: LateJoinerFigure[] = r.nodes
    .filter((n) => n.lateJoiner)
    .map((n) => {
      // From the moment it listens: process start-up on a loaded machine is not the network's doing.
      const start = n.starts[0]!.listeningAt ?? n.starts[0]!.at;
      const target = validator ? (heads.at(validator.id, start)?.height ?? 0) : 0;
      const adopted = heads.firstAtHeight(n.id, target, start);
      const adoptionSec = adopted ? (adopted.at - start) / 1000 : null;
      return {
        node: n.id,
        adoptionSec,
        withinTwoIntervals: adoptionSec !== null && adoptionSec <= 2 * interval,
      };
    });

  const honestHosts = new Set(r.nodes.map((n) => n.host));
  const fake = new Set(
    r.peers.filter((p) => p.kind === "peer" && !honestHosts.has(p.host)).map((p) => `${p.node}|${p.key}`),
  );

  const floodStart = r.events.find((e) => e.kind === "flood-start")?.at;
  const floodStop = r.events.find((e) => e.kind === "flood-stop")?.at ?? r.endedAt;
  const hostDown = (host: string, t: number) => {
    const n = r.nodes.find((x) => x.host === host);
    return n?.kills.some((k) => k <= t) ?? false;
  };
  const displaced =
    floodStart === undefined
      ? 0
      : r.peers.filter(
          (p) =>
            p.kind === "peer_removed" &&
            honestHosts.has(p.host) &&
            p.at >= floodStart &&
            p.at <= floodStop &&
            !hostDown(p.host, p.at) &&
            !down(p.node, p.at),
        ).length;

  const restarts: RestartFigure[] = [];
  for (const n of r.nodes) {
    for (const kill of n.kills) {
      const again = n.starts.find((s) => s.at > kill);
      if (!again) continue;
      const first = heads.events(n.id).find((h) => h.at >= again.at && h.how === "produced");
      let allFollowSec: number | null = null;
      if (first) {
        const times = r.nodes
          .filter((o) => o.id !== n.id && !down(o.id, first.at))
          .map((o) => heads.firstAtHeight(o.id, first.height, again.at)?.at);
        if (times.every((x) => x !== undefined))
          allFollowSec = (Math.max(first.at, ...(times as number[])) - again.at) / 1000;
      }
      restarts.push({
        node: n.id,
        keyKept: again.relayKey !== null && again.relayKey === n.starts[0]!.relayKey,
        firstBlockSec: first ? (first.at - again.at) / 1000 : null,
        allFollowSec,
      });
    }
  }

  return {
    scenario: r.scenario,
    nodes: r.nodes.length,
    durationSec: (r.endedAt - r.startedAt) / 1000,
    verifyIntervalSec: interval,
    validatorHeight: validatorLast?.height ?? -1,
    finalAllOnHead:
      validatorLast !== undefined &&
      others.every((n) => down(n.id, r.endedAt) || lastOf(n.id)?.hash === validatorLast.hash),
    onHeadShare: {
      mean: shares.length === 0 ? 0 : shares.reduce((a, b) => a + b, 0) / shares.length,
      final: shares.at(-1) ?? 0,
    },
    headLag: {
      max: lags.length === 0 ? 0 : Math.max(...lags),
      mean: lags.length === 0 ? 0 : lags.reduce((a, b) => a + b, 0) / lags.length,
      samples,
    },
    lateJoiners,
    lateJoinersWithinTwoIntervals:
      lateJoiners.length === 0
        ? null
        : lateJoiners.filter((l) => l.withinTwoIntervals).length / lateJoiners.length,
    flood: { sent: r.flood.sent, ratePerSec: r.config.floodRate },
    fakePeersAdmitted: fake.size,
    honestPeersDisplaced: displaced,
    restarts,
  };
}
