#!/usr/bin/env node
// npm start: a local Astram dev network node that mines, with its dashboard and explorer.
// The node package provides the real entry point; until it is built this says so.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const nodeCli = fileURLToPath(new URL("../packages/astram-node/dist/dev-network.js", import.meta.url));
if (existsSync(nodeCli)) {
  await import(nodeCli);
} else {
  console.log("npm start will run a local Astram devnet node that mines to a generated address,");
  console.log(
    "with its HTTP API and dashboard on http://127.0.0.1:19533 and the explorer on http://127.0.0.1:8080.",
  );
  console.log("The node package (packages/astram-node) is not built yet.");
}
