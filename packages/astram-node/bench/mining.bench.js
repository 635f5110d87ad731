// Mining kernels: hashes/s on one thread and on every core, for the native kernel (SHA extensions
// and plain C), the WebAssembly fallback and node:crypto, beside the ceiling measured in the same
// run: OpenSSL's SHA-256 rate (`openssl speed -evp sha256 -bytes 16384`) in compressions/s (bytes/s
// / 64), halved because a nonce costs two compressions once the header's midstate is known.
// Target: native >= 0.8 of the ceiling per core, and >= 1.8x from one thread to two.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { jsKernel } from "../dist/mining/js-kernel.js";
import { fastestNativeImplementation, nativeImplementations } from "../dist/mining/native-kernel.js";
import { measureKernel } from "./mining-measure.js";

const MS = Number(process.env.BENCH_MINING_MS ?? 1000);
// Each figure is the best of REPS runs: the machine may be shared, and the best run is the closest
// to what the hardware does (the same for the OpenSSL reference).
const REPS = Number(process.env.BENCH_MINING_REPS ?? 3);

async function best(fn) {
  let top = 0;
  for (let i = 0; i < REPS; i++) top = Math.max(top, await fn());
  return top;
}

/** OpenSSL's SHA-256 throughput in bytes/s, on `procs` processes at once (-multi). */
function opensslBytesPerSecond(procs) {
  const args = ["speed", "-evp", "sha256", "-bytes", "16384", "-seconds", "1", "-mr"];
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

/**
 * The WebGPU backend on whatever adapter opens here (Mesa llvmpipe on a machine without a GPU),
 * measured in a child process: a driver that aborts must not take the other figures with it.
 */
async function gpuRow(rows, ref) {
  const script = fileURLToPath(new URL("./gpu-rate.js", import.meta.url));
  const r = spawnSync(process.execPath, [script, String(MS)], {
    encoding: "utf8",
    env: { ...process.env, EGL_PLATFORM: process.env.EGL_PLATFORM ?? "surfaceless" },
    timeout: 120_000,
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    rows.push({
      name: "WebGPU",
      value: 0,
      unit: "H/s",
      note: `the GPU measurement crashed (${r.signal ?? `exit ${r.status}`})`,
    });
    return;
  }
  if (result.error) {
    rows.push({ name: "WebGPU", value: 0, unit: "H/s", note: result.error });
    return;
  }
  const note = result.software ? "software adapter: it runs on the CPU cores" : undefined;
  rows.push({ name: `WebGPU (${result.adapter})`, value: result.rate, unit: "H/s", ref, note });
}

export default async function () {
  const rows = [];
  const cores = availableParallelism();
  const ceiling1 = (await best(() => opensslBytesPerSecond(1))) / 64 / 2;
  const ceilingN = cores > 1 ? (await best(() => opensslBytesPerSecond(cores))) / 64 / 2 : ceiling1;
  const ref1 = { name: "OpenSSL SHA-256 ceiling, 1 core (compressions/s / 2)", value: ceiling1, unit: "H/s" };
  const refN = { name: `OpenSSL SHA-256 ceiling, ${cores} processes`, value: ceilingN, unit: "H/s" };

  let impls = [];
  let chosen;
  try {
    impls = nativeImplementations();
    chosen = fastestNativeImplementation();
  } catch (e) {
    rows.push({ name: "native kernel", value: 0, unit: "H/s", note: `not built: ${e.message}` });
  }
  for (const impl of impls) {
    const one = await best(() => threaded("native", impl, 1));
    const note = impl === chosen ? "the miner's choice here" : undefined;
    rows.push({ name: `native (${impl}), 1 thread`, value: one, unit: "H/s", ref: ref1, note });
    if (cores > 1) {
      const all = await best(() => threaded("native", impl, cores));
      rows.push({ name: `native (${impl}), ${cores} threads`, value: all, unit: "H/s", ref: refN });
      rows.push({
        name: `native (${impl}), scaling 1 -> ${cores} threads`,
        value: all,
        unit: "H/s",
        ref: { name: `native (${impl}), 1 thread`, value: one, unit: "H/s" },
      });
    }
  }
  const wasmOne = await best(() => threaded("wasm", undefined, 1));
  rows.push({ name: "WebAssembly (simd128), 1 thread", value: wasmOne, unit: "H/s", ref: ref1 });
  if (cores > 1) {
    const all = await best(() => threaded("wasm", undefined, cores));
    rows.push({ name: `WebAssembly (simd128), ${cores} threads`, value: all, unit: "H/s", ref: refN });
  }
  await gpuRow(rows, refN);
  rows.push({
    name: "node:crypto (2 full sha256 per nonce), 1 thread",
    value: await best(() => measureKernel(jsKernel, Math.min(MS, 1000))),
    unit: "H/s",
    ref: ref1,
  });
  return rows;
}
