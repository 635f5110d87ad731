import type { ChildProcess } from "node:child_process";

/**
 * Every process the simulator started and that has not exited. When the simulator's own process
 * exits, for whatever reason, each is killed with SIGKILL (the exit hook must be synchronous);
 * nodes also carry the orphan guard for the case where the simulator itself is killed with -9.
 */
const children = new Set<ChildProcess>();
let hooked = false;

export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (!hooked) {
    hooked = true;
    process.on("exit", killAllChildren);
  }
}

export function killAllChildren(): void {
  for (const c of children) c.kill("SIGKILL");
}

export function liveChildren(): number {
  return children.size;
}
