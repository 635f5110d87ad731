// astram-fuzz: coverage-guided fuzzing of the Astram and Astreum decoders and message handlers.
export * from "./engine/corpus.js";
export * from "./engine/coverage.js";
export * from "./engine/findings.js";
export * from "./engine/fuzzer.js";
export * from "./engine/minimize.js";
export * from "./engine/mutator.js";
export * from "./engine/rng.js";
export * from "./run-in-worker.js";
export * from "./targets/index.js";
export * from "./targets/target.js";
export type * from "./worker-protocol.js";
