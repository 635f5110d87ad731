// Child process of mining.bench.js: the WebGPU search rate, printed as one JSON line.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { GpuSearch } from "../dist/mining/gpu-search.js";

const ms = Number(process.argv[2] ?? 3000);
let gpu;
try {
  gpu = await GpuSearch.open({ allowSoftware: true });
} catch (e) {
  console.log(JSON.stringify({ error: `no adapter: ${e.message}` }));
  process.exit(0);
}
const header = new Uint8Array(randomBytes(172));
await gpu.search({ header, difficulty: 64, startNonce: 0n, count: 1 << 20 }); // compile + warm up
let best = 0;
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  let hashes = 0;
  while (performance.now() - t < ms) {
    hashes += (await gpu.search({ header, difficulty: 64, startNonce: BigInt(hashes), count: 1 << 22 }))
      .hashes;
  }
  best = Math.max(best, (hashes * 1000) / (performance.now() - t));
}
console.log(JSON.stringify({ adapter: gpu.info.adapter, software: gpu.info.software, rate: best }));
gpu.close();
process.exit(0);
