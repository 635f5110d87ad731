// Mining kernels: hashes/s on one thread and on every core, for the native kernel (SHA extensions
// and plain C), the WebAssembly fallback and node:crypto, beside the ceiling measured in the same
// run: OpenSSL's SHA-256 rate (`openssl speed -evp sha256 -bytes 16384`) in compressions/s (bytes/s
// / 64), halved because a nonce costs two compressions once the header's midstate is known.
// Target: native >= 0.8 of the ceiling per core, and >= 1.8x from one thread to two.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { jsKernel } from "../dist/mining/js-kernel.js";
import { nativeImplementations } from "../dist/mining/native-kernel.js";
import { measureKernel } from "./mining-measure.js";

const MS = Number(process.env.BENCH_MINING_MS ?? 2000);

/** OpenSSL's SHA-256 throughput in bytes/s, on `procs` processes at once (-multi). */
function opensslBytesPerSecond(procs) {
  const args = ["speed", "-evp", "sha256", "-bytes", "16384", "-seconds", "3", "-mr"];
  if (procs > 1) args.push("-multi", String(procs));
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`openssl speed failed: ${r.error?.message ?? r.stderr}`);
  // -mr prints "+F:<n>:sha256:<bytes/s>" at the start of a line (with -multi: the sum of the processes,
  // after "Got: +F:..." lines from each).
  const m = /^\+F:\d+:sha256:([\d.]+)/m.exec(r.stdout);
  if (!m) throw new Error(`unexpected openssl speed output:\n${r.stdout}`);
  return Number(m[1]);
}

/** Hashes/s of `threads` workers running the kernel at the same time (sum). */
async function threaded(kernel, implementation, threads) {
  const url = new URL("./mining-worker.js", import.meta.url);
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, { workerData: { kernel, implementation, ms: MS } }),
  );
  await Promise.all(workers.map((w) => new Promise((r) => w.once("online", r))));
  const rates = await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve, reject) => {
          w.once("message", resolve);
          w.once("error", reject);
          w.postMessage("go");
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  return rates.reduce((a, b) => a + b, 0);
}

export default async function () {
  const rows = [];
  const cores = availableParallelism();
  const ceiling1 = opensslBytesPerSecond(1) / 64 / 2;
  const ceilingN = cores > 1 ? opensslBytesPerSecond(cores) / 64 / 2 : ceiling1;
  const ref1 = { name: "OpenSSL SHA-256 ceiling, 1 core (compressions/s / 2)", value: ceiling1, unit: "H/s" };
  const refN = { name: `OpenSSL SHA-256 ceiling, ${cores} processes`, value: ceilingN, unit: "H/s" };

  let impls = [];
  try {
    impls = nativeImplementations();
  } catch (e) {
    rows.push({ name: "native kernel", value: 0, unit: "H/s", note: `not built: ${e.message}` });
  }
  for (const impl of impls) {
    const one = await threaded("native", impl, 1);
    rows.push({ name: `native (${impl}), 1 thread`, value: one, unit: "H/s", ref: ref1 });
    if (cores > 1) {
      const all = await threaded("native", impl, cores);
      rows.push({ name: `native (${impl}), ${cores} threads`, value: all, unit: "H/s", ref: refN });
      rows.push({
        name: `native (${impl}), scaling 1 -> ${cores} threads`,
        value: all,
        unit: "H/s",
        ref: { name: `native (${impl}), 1 thread`, value: one, unit: "H/s" },
      });
    }
  }
  const wasmOne = await threaded("wasm", undefined, 1);
  rows.push({ name: "WebAssembly (simd128), 1 thread", value: wasmOne, unit: "H/s", ref: ref1 });
  if (cores > 1) {
    const all = await threaded("wasm", undefined, cores);
    rows.push({ name: `WebAssembly (simd128), ${cores} threads`, value: all, unit: "H/s", ref: refN });
  }
  rows.push({
    name: "node:crypto (2 full sha256 per nonce), 1 thread",
    value: measureKernel(jsKernel, Math.min(MS, 1000)),
    unit: "H/s",
    ref: ref1,
  });
  return rows;
}
