/**
 * Preloaded into every node process the simulator starts (`node --import orphan-guard.js cli.js`):
 * if the simulator dies without cleaning up (kill -9), the node's parent changes and the node stops
 * itself, so no node outlives its run.
 */
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 1000).unref();
