// What a node keeps across restarts in its state directory (`stateDirectory`, by default the cold
// storage directory): `node-state.json` with its relay secret key, its latest verified head (with
// the chain id it belongs to) and the addresses of the peers it knew. The file is written whole to
// a temporary name, synced and renamed into place (mode 0600: it holds a secret key), so a kill -9
// leaves the previous or the new version, never a torn one. Writes are synchronous and small: the
// node writes a new head before it announces it (so no peer ever sees a head the node could forget),
// and peer changes a second later, coalesced.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "./options.js";

export const NODE_STATE_FILE = "node-state.json";

export interface SavedNodeState {
  version: 1;
  chain_id: number;
  /** X25519 relay secret key, hex. */
  relay_secret_key: string;
  /** The latest verified head, 0x-hex, or null. */
  latest_block_hash: string | null;
  /** host:port of peers the node knew, most recently seen first. */
  peers: string[];
  /** When this was written (ISO-8601). */
  saved_at: string;
}

function isHex(v: unknown, bytes: number, prefix = ""): v is string {
  return typeof v === "string" && new RegExp(`^${prefix}[0-9a-f]{${bytes * 2}}$`).test(v);
}

export class NodeStateFile {
  readonly path: string;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly directory: string,
    /** Builds the state to write (called when a write starts). */
    private readonly snapshot: () => SavedNodeState,
    private readonly onError: (err: Error) => void,
  ) {
    this.path = join(directory, NODE_STATE_FILE);
  }

  /**
   * Reads the saved state; null when there is none yet. A file that cannot be read or does not
   * hold a node state is a ConfigError naming stateDirectory (nothing is overwritten).
   */
  load(): SavedNodeState | null {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new ConfigError("stateDirectory", `cannot read ${this.path}: ${(err as Error).message}`);
    }
    let s: Partial<SavedNodeState>;
    try {
      s = JSON.parse(text) as Partial<SavedNodeState>;
    } catch (err) {
      throw new ConfigError("stateDirectory", `${this.path} is not JSON: ${(err as Error).message}`);
    }
    const bad = (what: string): never => {
      throw new ConfigError("stateDirectory", `${this.path} is not a node state: ${what}`);
    };
    if (typeof s !== "object" || s === null || s.version !== 1) bad("version is not 1");
    if (!Number.isInteger(s.chain_id)) bad("chain_id");
    if (!isHex(s.relay_secret_key, 32)) bad("relay_secret_key");
    if (s.latest_block_hash !== null && !isHex(s.latest_block_hash, 32, "0x")) bad("latest_block_hash");
    if (!Array.isArray(s.peers) || s.peers.some((p) => typeof p !== "string")) bad("peers");
    return s as SavedNodeState;
  }

  /** Creates the directory (mode 0700 when new). */
  ensureDirectory(): void {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
  }

  /** Writes the current state now (errors go to onError); cancels a pending saveSoon. */
  saveNow(): void {
    this.cancel();
    try {
      this.write(this.snapshot());
    } catch (err) {
      this.onError(err as Error);
    }
  }

  /** Writes the current state after `delayMs`, once for all the changes made meanwhile. */
  saveSoon(delayMs = 1000): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.saveNow();
    }, delayMs);
    this.timer.unref();
  }

  /** Drops a pending saveSoon. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private write(state: SavedNodeState): void {
    this.ensureDirectory();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
