import { describe, expect, it } from "vitest";
import { clientAddress, proxyMatcher, RateLimiter } from "../src/index.js";

describe("RateLimiter", () => {
  it("allows `limit` hits per window per key and says when to retry", () => {
    let t = 0;
    const rl = new RateLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    expect(rl.hit("a").allowed).toBe(true);
    expect(rl.hit("a").allowed).toBe(true);
    t = 15_000;
    expect(rl.hit("a")).toEqual({ allowed: false, retryAfterMs: 45_000 });
    expect(rl.hit("b").allowed).toBe(true);
    t = 60_000;
    expect(rl.hit("a").allowed).toBe(true);
  });

  it("bounds its memory", () => {
    let t = 0;
    const rl = new RateLimiter({ limit: 1, windowMs: 1000, maxKeys: 3, now: () => t });
    for (const k of ["a", "b", "c"]) expect(rl.hit(k).allowed).toBe(true);
    expect(rl.hit("d").allowed).toBe(false);
    expect(rl.size).toBe(3);
    t = 1000;
    expect(rl.hit("d").allowed).toBe(true);
    expect(rl.size).toBe(1);
  });
});

describe("clientAddress", () => {
  it("is the socket peer when no proxy is trusted, whatever the headers say", () => {
    expect(clientAddress("::ffff:127.0.0.1", "8.8.8.8", undefined)).toBe("127.0.0.1");
  });

  it("walks X-Forwarded-For from the right through trusted proxies only", () => {
    const trusted = proxyMatcher(["127.0.0.1", "10.0.0.0/8"]);
    expect(clientAddress("127.0.0.1", "8.8.8.8", trusted)).toBe("8.8.8.8");
    // The client forged "1.1.1.1"; our proxies added 9.9.9.9 (the real client) and 10.0.0.5.
    expect(clientAddress("127.0.0.1", "1.1.1.1, 9.9.9.9, 10.0.0.5", trusted)).toBe("9.9.9.9");
    // A peer that is not a trusted proxy: its header is ignored.
    expect(clientAddress("192.168.1.1", "8.8.8.8", trusted)).toBe("192.168.1.1");
    // All hops trusted: the left-most one is the client.
    expect(clientAddress("127.0.0.1", "10.0.0.1", trusted)).toBe("10.0.0.1");
    expect(clientAddress("127.0.0.1", ["2001:DB8::1"], trusted)).toBe("2001:db8::1");
    expect(clientAddress("127.0.0.1", "junk", trusted)).toBe("junk");
  });

  it("understands the named ranges", () => {
    const m = proxyMatcher(["loopback", "uniquelocal"]);
    expect(m("::1")).toBe(true);
    expect(m("127.5.5.5")).toBe(true);
    expect(m("172.20.0.1")).toBe(true);
    expect(m("fd00::1")).toBe(true);
    expect(m("8.8.8.8")).toBe(false);
  });
});
