import type { RunRecord } from "./run-record.js";

/** A run record that does not have the shape the report needs; `path` names the offending field. */
export class InvalidRunRecordError extends Error {
  readonly code = "INVALID_RUN_RECORD";
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`invalid run record: ${path} must be ${expected}`);
    this.name = "InvalidRunRecordError";
  }
}

type Check = (value: unknown, path: string) => void;

const fail = (path: string, expected: string): never => {
  throw new InvalidRunRecordError(path, expected);
};
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const string: Check = (value, path) => {
  if (typeof value !== "string") fail(path, "a string");
};
const number: Check = (value, path) => {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(path, "a finite number");
};
const nonNegative: Check = (value, path) => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(path, "a finite number >= 0");
};
const boolean: Check = (value, path) => {
  if (typeof value !== "boolean") fail(path, "a boolean");
};
const nullable =
  (check: Check): Check =>
  (value, path) => {
    if (value !== null) check(value, path);
  };
const oneOf =
  (...options: string[]): Check =>
  (value, path) => {
    if (typeof value !== "string" || !options.includes(value)) fail(path, `one of ${options.join(", ")}`);
  };
const object =
  (fields: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (value, path) => {
    if (!isObject(value)) return fail(path, "an object");
    for (const [name, check] of Object.entries(fields)) check(value[name], `${path}.${name}`);
    for (const [name, check] of Object.entries(optional)) {
      if (value[name] !== undefined) check(value[name], `${path}.${name}`);
    }
  };
const array =
  (item: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return fail(path, "an array");
    value.forEach((element, i) => {
      item(element, `${path}[${i}]`);
    });
  };
const pair: Check = (value, path) => {
  if (!Array.isArray(value) || value.length !== 2) return fail(path, "a pair of node ids");
  string(value[0], `${path}[0]`);
  string(value[1], `${path}[1]`);
};

const shape = object(
  {
    scenario: string,
    seed: number,
    startedAt: number,
    endedAt: number,
    config: object({
      nodes: nonNegative,
      miners: nonNegative,
      latencyMs: nonNegative,
      jitterMs: nonNegative,
      lossRate: nonNegative,
      bandwidthBytesPerSec: nullable(nonNegative),
      targetSpacingSec: nonNegative,
      durationSec: nonNegative,
    }),
    nodes: array(
      object({ id: string, address: string, role: oneOf("miner", "follower", "attacker"), honest: boolean }),
    ),
    blocks: array(
      object({ hash: string, height: nonNegative, parent: string, miner: nullable(string), minedAt: number }),
    ),
    arrivals: array(object({ node: string, hash: string, at: number })),
    topology: array(object({ at: number, edges: array(pair) })),
    tips: array(object({ node: string, at: number, height: nonNegative, hash: string })),
    bans: array(
      object({ node: string, ip: string, bannedNode: nullable(string), at: number, reason: string }),
    ),
    resources: array(object({ node: string, at: number, rssBytes: nonNegative, cpuPercent: nonNegative })),
    events: array(object({ at: number, kind: string }, { detail: string })),
  },
  {
    eclipse: object({ victim: string, samples: array(object({ at: number, honestPeers: nonNegative })) }),
  },
);

/**
 * Checks that value is a well-formed RunRecord: every field of the right type, node ids unique, and
 * every node a sample or block names is one of the record's nodes. Throws InvalidRunRecordError
 * naming the first bad field.
 */
export function assertRunRecord(value: unknown, path = "record"): asserts value is RunRecord {
  shape(value, path);
  const record = value as RunRecord;
  const ids = new Set<string>();
  record.nodes.forEach((node, i) => {
    if (ids.has(node.id)) fail(`${path}.nodes[${i}].id`, `unique (${node.id} appears twice)`);
    ids.add(node.id);
  });
  const known = (id: string | null, at: string) => {
    if (id !== null && !ids.has(id)) fail(at, `the id of a node in ${path}.nodes (got ${id})`);
  };
  record.blocks.forEach((block, i) => {
    known(block.miner, `${path}.blocks[${i}].miner`);
  });
  for (const field of ["arrivals", "tips", "resources", "bans"] as const) {
    record[field].forEach((entry, i) => {
      known(entry.node, `${path}.${field}[${i}].node`);
    });
  }
  record.bans.forEach((ban, i) => {
    known(ban.bannedNode, `${path}.bans[${i}].bannedNode`);
  });
  if (record.eclipse !== undefined) known(record.eclipse.victim, `${path}.eclipse.victim`);
}
