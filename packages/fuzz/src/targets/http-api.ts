import { encodeBlock, encodeTransaction } from "astram-core";
import { addrA, astramSamples } from "./astram-samples.js";
import { type NodeFixture, startNodeFixture } from "./node-fixture.js";
import { type FuzzTarget, OracleViolation, text, tokens, utf8 } from "./target.js";

const BLANK = utf8("\n\n");

function indexOfBlank(input: Uint8Array): number {
  for (let i = 0; i + 1 < input.length; i++) if (input[i] === 0x0a && input[i + 1] === 0x0a) return i;
  return -1;
}

function request(head: string, body?: Uint8Array): Uint8Array {
  const h = utf8(head);
  if (!body) return h;
  const out = new Uint8Array(h.length + 2 + body.length);
  out.set(h);
  out.set(BLANK, h.length);
  out.set(body, h.length + 2);
  return out;
}

/**
 * The node's HTTP API of a real in-process node. Input: "METHOD /path?query", a blank line, then
 * the body bytes (JSON when it starts with "{", raw otherwise). Any 5xx answer is a finding.
 */
export const httpApiTarget: FuzzTarget<NodeFixture> = {
  name: "http-api",
  description: "astram-node HTTP API routes, schemas, body parsers and handlers (app.inject)",
  coverage: /astram-node\/(dist|src)\/api\//,
  maxLength: 4096,
  dictionary: tokens(
    "GET ",
    "POST ",
    "/tx",
    "/tx/",
    "/block/",
    "/blocks?limit=",
    "/blockchain/range?from=",
    "/address/",
    "/balance",
    "/history?limit=",
    "/utxos",
    "/info",
    "/eth_mapping/",
    "/mempool?limit=",
    "/mining/submit",
    "/mining?since=",
    "?format=raw",
    "&after=",
    "&offset=",
    '{"block_b64":"',
    "\n\n",
    "0x",
  ),
  seeds() {
    const s = astramSamples();
    const block = s.blocks[s.blocks.length - 1]!;
    const tx = s.transactions[0]!;
    return [
      request("GET /status"),
      request("GET /health"),
      request("GET /blockchain"),
      request("GET /blocks?limit=2&before=3"),
      request("GET /blockchain/range?from=1&to=3"),
      request(`GET /block/${block.hash}?format=raw`),
      request("GET /block/2"),
      request(`GET /tx/${tx.txid}`),
      request(`GET /address/${addrA}/balance`),
      request(`GET /address/${addrA}/history?limit=5`),
      request(`GET /address/${addrA}/utxos?limit=5&offset=0`),
      request(`GET /address/${addrA}/info`),
      request("GET /mempool?limit=10"),
      request("GET /mining?since=0"),
      request("POST /tx", encodeTransaction(tx)),
      request(
        "POST /mining/submit",
        utf8(JSON.stringify({ block_b64: Buffer.from(encodeBlock(block)).toString("base64") })),
      ),
    ];
  },
  setup: () => startNodeFixture("http-api"),
  teardown: (f) => f.close(),
  async run(input, f) {
    const blank = indexOfBlank(input);
    const head = text(blank < 0 ? input : input.subarray(0, blank));
    const body = blank < 0 ? undefined : Buffer.from(input.subarray(blank + 2));
    const space = head.indexOf(" ");
    const method = space > 0 && head.slice(0, space) === "POST" ? "POST" : "GET";
    // One leading slash: "//x" would read as a host name, which no request line carries.
    let url = `/${(space > 0 ? head.slice(space + 1) : head).replace(/^\/+/, "")}`;
    // Bytes a client cannot put raw on a request line (and a backslash, which URL parsing reads as "/")
    // are sent percent-encoded.
    url = url.replace(/[^\x21-\x7e]|\\/gu, (c) => encodeURIComponent(c));
    const json = body !== undefined && body[0] === 0x7b;
    const res = await f.app.inject({
      method,
      url,
      ...(method === "POST"
        ? {
            payload: body ?? Buffer.alloc(0),
            headers: { "content-type": json ? "application/json" : "application/octet-stream" },
          }
        : {}),
    });
    if (res.statusCode >= 500)
      throw new OracleViolation(`${method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  },
  expected: () => false,
};
