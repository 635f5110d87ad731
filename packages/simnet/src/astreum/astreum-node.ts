import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { UdpRelay } from "../link/udp-relay.js";
import { trackChild } from "../node/child-registry.js";
import { ORPHAN_GUARD } from "../node/sim-node.js";
import { waitFor } from "../wait.js";
import type { AstreumRole } from "./run-record.js";

/** The built `astreum` CLI (the same path from src/ under vitest and from dist/). */
export const DEFAULT_ASTREUM_CLI = fileURLToPath(
  new URL("../../../astreum/dist/cli/main.js", import.meta.url),
);

export interface AstreumNodeSpec {
  readonly id: string;
  readonly role: AstreumRole;
  /** Where it binds (only its relay sends there). */
  readonly privateHost: string;
  /** Its state directory (relay key, head, known peers, atoms): kept across restarts. */
  readonly stateDir: string;
  /** JSON config file (the seed's keys, e.g. verify_blockchain_interval). */
  readonly configFile: string;
  /** Validation key file (validators only). */
  readonly validationKeyFile?: string;
  /** Public addresses ("host:port") of the peers it starts with. */
  readonly seeds: readonly string[];
  readonly cli?: string;
}

/** One line of `astreum node --json`, as the simulator uses it. */
export type AstreumNodeEvent =
  | {
      readonly event: "listening";
      readonly time: number;
      readonly port: number;
      readonly relay_public_key: string;
    }
  | {
      readonly event: "head";
      readonly time: number;
      readonly height: number;
      readonly hash: string;
      readonly how: string;
    }
  | {
      readonly event: "peer" | "peer_removed";
      readonly time: number;
      readonly key: string;
      readonly host: string;
      readonly port: number;
    };

/** Parses one stdout line; null for anything that is not one of the events above. */
export function parseAstreumEvent(line: string): AstreumNodeEvent | null {
  if (!line.startsWith("{")) return null;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof o.time !== "number") return null;
  switch (o.event) {
    case "listening":
      return typeof o.port === "number" && typeof o.relay_public_key === "string"
        ? (o as unknown as AstreumNodeEvent)
        : null;
    case "head":
      return typeof o.height === "number" && typeof o.hash === "string" && typeof o.how === "string"
        ? (o as unknown as AstreumNodeEvent)
        : null;
    case "peer":
    case "peer_removed":
      return typeof o.key === "string" && typeof o.host === "string" && typeof o.port === "number"
        ? (o as unknown as AstreumNodeEvent)
        : null;
    default:
      return null;
  }
}

/**
 * One real `astreum node --json` process behind its UDP relay: it binds the relay's port number on
 * its private address (so the port it announces in its handshakes is its relay's), and the relay
 * forwards to it there once it listens. Restartable on the same state directory; `kill()` is -9.
 */
export class AstreumNode {
  private child: ChildProcess | undefined;
  private exitCode: number | null | undefined;
  private readonly stderrTail: string[] = [];
  relayKey: string | null = null;

  constructor(
    readonly spec: AstreumNodeSpec,
    readonly relay: UdpRelay,
    private readonly onEvent: (node: AstreumNode, event: AstreumNodeEvent) => void,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  /** Where peers send to it: its relay. */
  get endpoint(): string {
    return `${this.relay.host}:${this.relay.port}`;
  }

  /** Starts the process; resolves once it listens (its `listening` event). */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`node ${this.id} is already running`);
    const s = this.spec;
    const args = [
      "--import",
      ORPHAN_GUARD,
      s.cli ?? DEFAULT_ASTREUM_CLI,
      "node",
      "--json",
      "--config",
      s.configFile,
      "--bind",
      s.privateHost,
      "--port",
      String(this.relay.port),
      "--no-default-seed",
      "--no-logging",
      "--state-dir",
      s.stateDir,
    ];
    for (const seed of s.seeds) args.push("--seed", seed);
    if (s.role === "validator") {
      if (!s.validationKeyFile) throw new Error(`validator ${s.id} needs a key file`);
      args.push("--validate", s.validationKeyFile);
    }
    this.exitCode = undefined;
    this.relayKey = null;
    this.stderrTail.length = 0;
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: withoutAstreumSettings(process.env),
    });
    this.child = child;
    trackChild(child);
    child.once("exit", (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      this.relay.clearTarget();
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const event = parseAstreumEvent(line);
      if (!event) return;
      if (event.event === "listening") {
        this.relayKey = event.relay_public_key;
        this.relay.setTarget(s.privateHost, event.port);
      }
      this.onEvent(this, event);
    });
    createInterface({ input: child.stderr! }).on("line", (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    await waitFor(() => this.relayKey !== null || this.exitCode !== undefined, {
      what: `astreum node ${this.id} to listen`,
      timeoutMs,
      intervalMs: 50,
    });
    if (this.exitCode !== undefined)
      throw new Error(
        `astreum node ${this.id} exited (${this.exitCode}) at start: ${this.stderrTail.join("\n")}`,
      );
  }

  /** kill -9, and waits (bounded) until it is gone. */
  async kill(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child?.kill("SIGKILL");
    await waitFor(() => !this.running, { what: `astreum node ${this.id} to die`, timeoutMs, intervalMs: 20 });
  }

  /** SIGTERM (the node closes cleanly), then -9 if it takes longer than `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child?.kill("SIGTERM");
    try {
      await waitFor(() => !this.running, {
        what: `astreum node ${this.id} to exit`,
        timeoutMs,
        intervalMs: 50,
      });
    } catch {
      await this.kill();
    }
  }
}

/** The environment minus ASTREUM_* settings, which would override each node's config file. */
function withoutAstreumSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("ASTREUM_")));
}
