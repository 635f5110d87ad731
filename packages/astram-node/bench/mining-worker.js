// Worker for mining.bench.js: runs one kernel flat out for a given time and reports hashes/s.
import { parentPort, workerData } from "node:worker_threads";
import { createNativeKernel } from "../dist/mining/native-kernel.js";
import { createKernel } from "../dist/mining/select-kernel.js";
import { measureKernel } from "./mining-measure.js";

const { kernel, implementation, ms } = workerData;
const k = kernel === "native" ? createNativeKernel(implementation) : createKernel(kernel);
parentPort.once("message", () => parentPort.postMessage(measureKernel(k, ms)));
