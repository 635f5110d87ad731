// Test and benchmark helpers (pure, no I/O). Imported as "astram-core/testing".
export * from "./memory-chain.js";
