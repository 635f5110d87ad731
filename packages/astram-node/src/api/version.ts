import { readFileSync } from "node:fs";

/** The node's version, read from this package's package.json (the same path from src/ and dist/). */
export const NODE_VERSION: string = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** What `web3_clientVersion` and the `astram_info` metric report. */
export const CLIENT_VERSION = `Astram/v${NODE_VERSION}/node-${process.version}/typescript`;
