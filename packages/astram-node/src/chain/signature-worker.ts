// Worker thread of the SignatureVerifier: decodes the blocks it is sent and answers with the
// signature-cache entries of every input signature that verifies.
import { parentPort } from "node:worker_threads";
import { decodeBlock, verifiedSignatureKeys } from "astram-core";

export interface SignatureJob {
  readonly id: number;
  /** Encoded blocks. */
  readonly blocks: readonly Uint8Array[];
}

export interface SignatureAnswer {
  readonly id: number;
  readonly keys: string[];
}

if (parentPort) {
  const port = parentPort;
  port.on("message", (job: SignatureJob) => {
    const keys: string[] = [];
    for (const bytes of job.blocks) {
      try {
        for (const tx of decodeBlock(bytes).transactions)
          for (const k of verifiedSignatureKeys(tx)) keys.push(k);
      } catch {
        // A block that does not decode here is rejected by the main thread's own checks.
      }
    }
    port.postMessage({ id: job.id, keys } satisfies SignatureAnswer);
  });
}
