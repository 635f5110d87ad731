// Public API of the astreum package. Storage, relay, consensus and the node arrive in later issues.
export * from "./machine/index.js";
