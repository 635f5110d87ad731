import { formatEndpoint, isPrivate, normalizeIp, parseEndpoint, subnet16, subnet24 } from "astram-node";
import { describe, expect, it } from "vitest";
import { startNode, until } from "./p2p-helpers.js";

describe("peer addresses", () => {
  it("parses and formats IPv4 and IPv6 endpoints", () => {
    expect(parseEndpoint("1.2.3.4:8335")).toEqual({ host: "1.2.3.4", port: 8335 });
    expect(parseEndpoint("[2001:DB8::1]:8335")).toEqual({ host: "2001:db8::1", port: 8335 });
    expect(formatEndpoint({ host: "::1", port: 5 })).toBe("[::1]:5");
    expect(normalizeIp("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(() => parseEndpoint("1.2.3.4")).toThrow(TypeError);
    expect(() => parseEndpoint("[::1]:0")).toThrow(TypeError);
    expect(() => parseEndpoint("a:b:c")).toThrow(TypeError);
  });
  it("groups addresses by /24 and /16 (IPv6 by /48 and /32)", () => {
    expect(subnet24("10.1.2.3")).toBe(subnet24("10.1.2.200"));
    expect(subnet24("10.1.2.3")).not.toBe(subnet24("10.1.3.3"));
    expect(subnet16("10.1.2.3")).toBe(subnet16("10.1.99.3"));
    expect(subnet24("2001:db8:1::1")).toBe(subnet24("2001:db8:1:ffff::2"));
    expect(subnet16("2001:db8:1::1")).toBe(subnet16("2001:db8:2::1"));
    expect(subnet16("2001:db8::1")).not.toBe(subnet16("2001:db9::1"));
  });
  it("knows private and loopback ranges", () => {
    for (const ip of ["127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "::1", "fd00::1", "fe80::1"])
      expect(isPrivate(ip)).toBe(true);
    for (const ip of ["8.8.8.8", "172.32.0.1", "2001:4860::8888"]) expect(isPrivate(ip)).toBe(false);
  });
  it("connects two nodes over IPv6 loopback", async () => {
    const a = await startNode({ host: "::1", autoConnect: false });
    const b = await startNode({ host: "::1", peers: [`[::1]:${a.port}`] });
    await until(() => a.p2p.peerCount === 1 && b.p2p.peerCount === 1, "IPv6 peers connected");
    expect(b.p2p.summaries()[0]!.address).toBe(`[::1]:${a.port}`);
  });
});
