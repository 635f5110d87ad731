// The GPU backend: WebGPU through the `webgpu` package (Dawn). A compute shader searches nonces of
// the same template as the CPU workers (gpu-shader.ts); each winner is re-hashed on the CPU before
// it is reported. Adapters are tried in order: Dawn's default backend (Vulkan on Linux), then
// OpenGL ES through EGL (compatibility mode, EGL_PLATFORM=surfaceless when unset). A software
// rasterizer (Mesa llvmpipe, SwiftShader) is not a GPU: it is refused unless allowSoftware is set
// (tests do, to run the shader without a GPU), since it would only take cores from the CPU miner.
import { meetsDifficultyBytes } from "astram-core";
import {
  NOT_FOUND,
  P_COUNT,
  P_ITERS,
  P_START_HI,
  P_START_LO,
  PARAM_WORDS,
  SEARCH_SHADER,
  WORKGROUP_SIZE,
} from "./gpu-shader.js";
import { headerDigest } from "./js-kernel.js";
import type { KernelJob, KernelResult } from "./kernel.js";
import { U64_MASK } from "./kernel.js";
import { prepareSearchTemplate } from "./sha256-midstate.js";

// WebGPU enum values (the spec's constants; the `webgpu` package exposes them only as globals).
const BUFFER_MAP_READ = 0x1;
const BUFFER_COPY_SRC = 0x4;
const BUFFER_COPY_DST = 0x8;
const BUFFER_UNIFORM = 0x40;
const BUFFER_STORAGE = 0x80;
const MAP_MODE_READ = 0x1;

const MAX_WORKGROUPS = 65_535;

export interface GpuInfo {
  /** Adapter description, e.g. "NVIDIA GeForce RTX 3060 (vulkan)" or "llvmpipe (opengles)". */
  readonly adapter: string;
  readonly backend: "default" | "opengles";
  /** True for a software rasterizer running on the CPU. */
  readonly software: boolean;
}

export interface GpuSearchOptions {
  /** Accept a software adapter (Mesa llvmpipe, SwiftShader). Default: ASTRAM_GPU_ALLOW_SOFTWARE=1. */
  readonly allowSoftware?: boolean;
  /** Only try these backends (default both, in this order). */
  readonly backends?: readonly ("default" | "opengles")[];
}

/** No usable GPU adapter (--gpu on a machine without one). */
export class GpuUnavailableError extends Error {
  override readonly name = "GpuUnavailableError";
  readonly code = "GPU_UNAVAILABLE";
}

/** The GPU reported a nonce whose CPU hash does not meet the target (a driver or shader fault). */
export class GpuResultError extends Error {
  override readonly name = "GpuResultError";
  readonly code = "GPU_BAD_RESULT";
}

const SOFTWARE = /llvmpipe|softpipe|lavapipe|swiftshader/i;

function describe(adapter: GPUAdapter): { name: string; software: boolean } {
  const i = adapter.info;
  const parts = [i.vendor, i.device, i.description].filter((s) => s && s.trim() !== "");
  const name = parts.join(" ").trim() || "unnamed adapter";
  const fallback = (i as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { name, software: fallback || SOFTWARE.test(name) };
}

type WebGpuModule = typeof import("webgpu");

async function loadWebGpu(): Promise<WebGpuModule> {
  try {
    return await import("webgpu");
  } catch (e) {
    throw new GpuUnavailableError(`the webgpu package (Dawn) cannot load here: ${(e as Error).message}`);
  }
}

export class GpuSearch {
  private batch = 1 << 16;
  private closed = false;

  private constructor(
    readonly info: GpuInfo,
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
    private readonly params: GPUBuffer,
    private readonly found: GPUBuffer,
    private readonly readback: GPUBuffer,
    private readonly bindGroup: GPUBindGroup,
  ) {}

  /** Opens the first usable adapter or throws GpuUnavailableError saying what was found. */
  static async open(opts: GpuSearchOptions = {}): Promise<GpuSearch> {
    const allowSoftware = opts.allowSoftware ?? process.env.ASTRAM_GPU_ALLOW_SOFTWARE === "1";
    const { create } = await loadWebGpu();
    const seen: string[] = [];
    for (const backend of opts.backends ?? ["default", "opengles"]) {
      let adapter: GPUAdapter | null = null;
      try {
        if (backend === "opengles") {
          // Headless EGL: no window system is needed for compute.
          process.env.EGL_PLATFORM ??= "surfaceless";
          adapter = await create(["backend=opengles"]).requestAdapter({
            featureLevel: "compatibility",
          } as GPURequestAdapterOptions);
        } else {
          adapter = await create([]).requestAdapter({ powerPreference: "high-performance" });
        }
      } catch (e) {
        seen.push(`${backend}: ${(e as Error).message}`);
        continue;
      }
      if (!adapter) {
        seen.push(`${backend}: no adapter`);
        continue;
      }
      const { name, software } = describe(adapter);
      if (software && !allowSoftware) {
        seen.push(
          `${backend}: only the software rasterizer "${name}" (set ASTRAM_GPU_ALLOW_SOFTWARE=1 to use it)`,
        );
        continue;
      }
      const device = await adapter.requestDevice();
      return GpuSearch.build(device, { adapter: `${name} (${backend})`, backend, software });
    }
    throw new GpuUnavailableError(
      `--gpu: no GPU adapter found through WebGPU (${seen.join("; ")}). Mine on the CPU without --gpu.`,
    );
  }

  private static async build(device: GPUDevice, info: GpuInfo): Promise<GpuSearch> {
    device.pushErrorScope("validation");
    const module = device.createShaderModule({ code: SEARCH_SHADER });
    const pipeline = device.createComputePipeline({
      layout: "auto",
      compute: { module, entryPoint: "search" },
    });
    const params = device.createBuffer({ size: PARAM_WORDS * 4, usage: BUFFER_UNIFORM | BUFFER_COPY_DST });
    const found = device.createBuffer({ size: 4, usage: BUFFER_STORAGE | BUFFER_COPY_SRC | BUFFER_COPY_DST });
    const readback = device.createBuffer({ size: 4, usage: BUFFER_MAP_READ | BUFFER_COPY_DST });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: found } },
      ],
    });
    const error = await device.popErrorScope();
    if (error) {
      device.destroy();
      throw new GpuUnavailableError(`the GPU rejected the mining shader: ${error.message}`);
    }
    return new GpuSearch(info, device, pipeline, params, found, readback, bindGroup);
  }

  /** Searches `count` nonces from `startNonce`; returns the first winner (the same one a CPU search finds). */
  async search(job: KernelJob): Promise<KernelResult> {
    const t = prepareSearchTemplate(job.header, job.difficulty);
    const words = new Uint32Array(PARAM_WORDS);
    words.set(t.midstate, 0);
    words.set(t.state8, 8);
    words.set(t.block3, 16);
    words.set(t.mask, 32);
    const start = job.startNonce & U64_MASK;
    let done = 0;
    while (done < job.count && !this.closed) {
      if (job.cancel && Atomics.load(job.cancel, 0) !== job.generation) break;
      const count = Math.min(job.count - done, this.batch);
      const base = (start + BigInt(done)) & U64_MASK;
      const began = performance.now();
      const index = await this.dispatch(words, base, count);
      if (index !== NOT_FOUND) {
        const nonce = (base + BigInt(index)) & U64_MASK;
        if (!meetsDifficultyBytes(headerDigest(job.header, nonce), job.difficulty)) {
          throw new GpuResultError(`GPU reported nonce ${nonce}, whose sha256d on the CPU misses the target`);
        }
        return { found: true, nonce, hashes: done + index + 1 };
      }
      done += count;
      // Aim for dispatches of about 100 ms.
      const ms = Math.max(1, performance.now() - began);
      this.batch = Math.max(1 << 12, Math.min(2 ** 31, Math.round((count * 100) / ms)));
    }
    return { found: false, nonce: 0n, hashes: done };
  }

  private async dispatch(words: Uint32Array, base: bigint, count: number): Promise<number> {
    const iters = Math.max(1, Math.ceil(count / (WORKGROUP_SIZE * MAX_WORKGROUPS)));
    words[P_START_LO] = Number(base & 0xffffffffn);
    words[P_START_HI] = Number(base >> 32n);
    words[P_COUNT] = count;
    words[P_ITERS] = iters;
    const q = this.device.queue;
    q.writeBuffer(this.params, 0, words);
    q.writeBuffer(this.found, 0, Uint32Array.of(NOT_FOUND));
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(count / (WORKGROUP_SIZE * iters)));
    pass.end();
    enc.copyBufferToBuffer(this.found, 0, this.readback, 0, 4);
    q.submit([enc.finish()]);
    await this.readback.mapAsync(MAP_MODE_READ);
    const index = new Uint32Array(this.readback.getMappedRange().slice(0))[0]!;
    this.readback.unmap();
    return index;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.device.destroy();
  }
}
