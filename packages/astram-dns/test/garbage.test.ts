import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeFn } from "../src/index.js";
import { getJson, type Running, startDns, stopAll } from "./helpers.js";

let dns: Running;
const probed: string[] = [];

beforeAll(async () => {
  // No --allow-private: any well-formed body from 127.0.0.1 is still refused, so every answer is a 4xx.
  const probe: ProbeFn = async (address, port) => {
    probed.push(`${address}:${port}`);
    return { ok: false, failure: "unreachable", reason: "test" };
  };
  dns = await startDns({ probe, registerRate: 1_000_000, requestRate: 1_000_000, bodyLimit: 1024 });
});
afterAll(stopAll);

async function post(body: Uint8Array | string, contentType: string | undefined) {
  const headers: Record<string, string> = contentType === undefined ? {} : { "content-type": contentType };
  const res = await fetch(`${dns.url}/register`, { method: "POST", headers, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text };
}

function expect4xxJson(reply: { status: number; type: string; text: string }): void {
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(reply.type).toMatch(/^application\/json/);
  const parsed = JSON.parse(reply.text) as Record<string, unknown>;
  expect(parsed.success).toBe(false);
  expect(typeof parsed.code).toBe("string");
  expect(typeof parsed.message).toBe("string");
}

const fieldValue = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom("127.0.0.1", "8.8.8.8", "::1", "", "__proto__", null),
);
const registerish = fc.record(
  { address: fieldValue, port: fieldValue, version: fieldValue, height: fieldValue },
  { requiredKeys: [] },
);

/** Hand-written nasties: prototype keys, deep nesting, huge numbers, duplicate keys, BOM. */
const crafted = fc.constantFrom(
  '{"__proto__":{"port":8335},"version":"x","height":1}',
  '{"constructor":{"prototype":{"port":1}},"port":8335,"version":"x","height":1}',
  `${"[".repeat(500)}${"]".repeat(500)}`,
  '{"port":1e400,"version":"x","height":1}',
  '{"port":8335,"port":0,"version":"x","height":1}',
  '\ufeff{"port":8335,"version":"x","height":1}',
  '{"port":8335,"version":"x","height":18446744073709551615}',
  "null",
  '"a string"',
  "",
  "   ",
);

/** Fixed seeds: a failure names the seed and the path to replay it. */
const GARBAGE_SEED = 0x0a57;

describe("garbage never crashes the server and always gets a 4xx JSON error", () => {
  it("arbitrary text as application/json", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), crafted), async (s) =>
        expect4xxJson(await post(s, "application/json")),
      ),
      { numRuns: 150, seed: GARBAGE_SEED + 1 },
    );
  });

  it("arbitrary JSON values and register-like objects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), registerish), async (v) =>
        expect4xxJson(await post(JSON.stringify(v) ?? "null", "application/json; charset=utf-8")),
      ),
      { numRuns: 300, seed: GARBAGE_SEED + 2 },
    );
  });

  it("arbitrary bytes with arbitrary content types, some oversized", async () => {
    const type = fc.option(
      fc.oneof(fc.constantFrom("application/json", "text/plain", "APPLICATION/JSON"), fc.string()),
      {
        nil: undefined,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), type, async (bytes, ct) => {
        // fetch refuses header values with control characters; those never reach a server anyway.
        if (ct !== undefined && !/^[\x20-\x7e]*$/.test(ct)) return;
        expect4xxJson(await post(bytes, ct));
      }),
      { numRuns: 150, seed: GARBAGE_SEED + 3 },
    );
  });

  it("malformed HTTP on the raw socket gets a 400 JSON answer or a closed socket", async () => {
    const port = Number(new URL(dns.url).port);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const reply = await new Promise<string>((resolve) => {
          const socket = connect(port, "127.0.0.1");
          let data = "";
          socket.on("data", (d) => {
            data += d.toString("latin1");
          });
          socket.on("error", () => resolve(data));
          socket.on("close", () => resolve(data));
          socket.on("connect", () =>
            socket.end(Buffer.concat([Buffer.from("POST /register HTTP/1.1\r\n"), bytes])),
          );
          socket.setTimeout(5000, () => socket.destroy());
        });
        if (reply !== "") expect(reply).toMatch(/^HTTP\/1\.1 4\d\d /);
      }),
      { numRuns: 50, seed: GARBAGE_SEED + 4 },
    );
    expect((await getJson(`${dns.url}/health`)).status).toBe(200);
  });

  it("the server is still healthy and registered nothing", async () => {
    expect((await getJson(`${dns.url}/health`)).body).toMatchObject({ status: "healthy", node_count: 0 });
    expect(probed).toEqual([]);
  });
});
