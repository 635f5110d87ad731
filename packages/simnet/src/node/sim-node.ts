import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TcpRelay } from "../link/tcp-relay.js";
import { waitFor } from "../wait.js";
import { trackChild } from "./child-registry.js";
import { type NodeLogEvent, parseNodeLogLine } from "./node-log.js";

/** The built astram-node CLI (the same from src/ under vitest and from dist/). */
export const DEFAULT_NODE_CLI = fileURLToPath(new URL("../../../astram-node/dist/cli.js", import.meta.url));
export const ORPHAN_GUARD = fileURLToPath(new URL("../../dist/node/orphan-guard.js", import.meta.url));

export type NodeRole = "miner" | "follower";

export interface SimNodeSpec {
  readonly id: string;
  readonly host: string;
  readonly role: NodeRole;
  readonly dataDir: string;
  /** Relays of the peers it starts with ("host:port"). */
  readonly seeds: readonly string[];
  readonly minerAddress?: string;
  /** Pace the miner to the target block time (devnet). */
  readonly pace: boolean;
  readonly nodeCli?: string;
  readonly logLevel?: string;
}

/**
 * One real astram-node process behind its relay: it binds the node's P2P port on its own loopback
 * address, advertises the relay's port, reads the node's log lines and points the relay at the
 * node's real port once it listens. Restartable on the same data directory (churn).
 */
export class SimNode {
  private child: ChildProcess | undefined;
  private httpUrl: string | undefined;
  private exitCode: number | null | undefined;
  private readonly stderrTail: string[] = [];
  /** Times this node was started. */
  starts = 0;

  constructor(
    readonly spec: SimNodeSpec,
    readonly relay: TcpRelay,
    private readonly onEvent: (node: SimNode, event: NodeLogEvent) => void,
  ) {}

  get id(): string {
    return this.spec.id;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  /** Base URL of its HTTP API once it listens. */
  get api(): string | undefined {
    return this.running ? this.httpUrl : undefined;
  }

  /** Where peers dial it: its relay. */
  get endpoint(): string {
    return `${this.relay.host}:${this.relay.port}`;
  }

  /** Starts the process and resolves once its HTTP API and P2P port are up. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`node ${this.id} is already running`);
    const s = this.spec;
    const args = [
      "--import",
      ORPHAN_GUARD,
      s.nodeCli ?? DEFAULT_NODE_CLI,
      "--network",
      "dev",
      "--datadir",
      s.dataDir,
      "--p2p-bind",
      s.host,
      "--p2p-port",
      "0",
      "--p2p-advertise-port",
      String(this.relay.port),
      "--http-bind",
      s.host,
      "--http-port",
      "0",
      "--rpc-bind",
      s.host,
      "--rpc-port",
      "0",
      "--admin-bind",
      s.host,
      "--admin-port",
      "0",
      "--allow-private-peers",
      "--verify-threads",
      "0",
      "--log-level",
      s.logLevel ?? "info",
    ];
    if (s.seeds.length > 0) args.push("--peers", s.seeds.join(","));
    if (s.role === "miner") {
      if (!s.minerAddress) throw new Error(`miner ${s.id} needs a miner address`);
      args.push("--mine", "--miner-address", s.minerAddress, "--threads", "1");
      if (s.pace) args.push("--pace");
    }
    this.httpUrl = undefined;
    this.exitCode = undefined;
    this.stderrTail.length = 0;
    // A fixed config file path keeps a stray ./config/nodeSettings.conf from changing the run.
    const child = spawn(process.execPath, [...args, "--config", "/dev/null"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: withoutAstramSettings(process.env),
    });
    this.child = child;
    this.starts++;
    trackChild(child);
    child.once("exit", (code, signal) => {
      this.exitCode = code ?? (signal ? -1 : null);
      this.relay.clearTarget();
    });
    createInterface({ input: child.stdout! }).on("line", (line) => this.onLine(line));
    createInterface({ input: child.stderr! }).on("line", (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
    });
    await waitFor(() => this.httpUrl !== undefined || this.exitCode !== undefined, {
      what: `node ${this.id} to listen`,
      timeoutMs,
      intervalMs: 50,
    });
    if (this.exitCode !== undefined)
      throw new Error(`node ${this.id} exited (${this.exitCode}) at start: ${this.stderrTail.join("\n")}`);
  }

  private onLine(line: string): void {
    const event = parseNodeLogLine(line);
    if (!event) return;
    if (event.kind === "p2p-listening") this.relay.setTarget(event.port);
    if (event.kind === "http-listening") this.httpUrl = event.url;
    this.onEvent(this, event);
  }

  /** Sends a signal and waits (bounded) for the process to exit; SIGKILL if it does not. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill(signal);
    try {
      await waitFor(() => !this.running, { what: `node ${this.id} to exit`, timeoutMs, intervalMs: 50 });
    } catch {
      child.kill("SIGKILL");
      await waitFor(() => !this.running, {
        what: `node ${this.id} to die`,
        timeoutMs: 5_000,
        intervalMs: 50,
      });
    }
  }
}

/** The environment minus ASTRAM_* settings (which would override the flags' defaults per node). */
function withoutAstramSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => !k.startsWith("ASTRAM_") || k === "ASTRAM_MINER_KERNEL"),
  );
}
