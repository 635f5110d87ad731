// Worker thread: runs one search kernel (named in workerData) on the jobs the Miner posts. The
// Miner cancels a job by changing the shared generation word; the kernel notices within 65536
// nonces (a few milliseconds).
import { parentPort, workerData } from "node:worker_threads";
import type { KernelJob, KernelName, KernelResult, SearchKernel } from "./kernel.js";
import { createKernel } from "./select-kernel.js";

export interface WorkerInit {
  readonly kernel: KernelName;
  readonly addonPath?: string;
  /** The native code path the main thread chose. */
  readonly implementation?: string;
}

export type WorkerMessage =
  | { readonly type: "ready"; readonly kernel: KernelName; readonly implementation: string }
  | { readonly type: "error"; readonly message: string }
  | ({ readonly type: "result" } & KernelResult);

if (parentPort) {
  const port = parentPort;
  let kernel: SearchKernel | undefined;
  try {
    const init = workerData as WorkerInit;
    kernel = createKernel(init.kernel, { addonPath: init.addonPath, implementation: init.implementation });
    port.postMessage({ type: "ready", kernel: kernel.name, implementation: kernel.implementation });
  } catch (e) {
    port.postMessage({ type: "error", message: (e as Error).message });
  }
  port.on("message", (job: KernelJob) => {
    try {
      port.postMessage({ type: "result", ...kernel!.search(job) });
    } catch (e) {
      port.postMessage({ type: "error", message: (e as Error).message });
    }
  });
}
