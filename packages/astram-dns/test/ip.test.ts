import { describe, expect, it } from "vitest";
import {
  formatEndpoint,
  inCidr,
  isLoopback,
  isPublicIp,
  isUnspecified,
  normalizeIp,
  parseEndpoint,
} from "../src/index.js";

describe("normalizeIp", () => {
  it.each([
    ["1.2.3.4", "1.2.3.4"],
    ["::ffff:1.2.3.4", "1.2.3.4"],
    ["::FFFF:7f00:1", "127.0.0.1"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:0db8::0001", "2001:db8::1"],
    ["::1", "::1"],
    ["::", "::"],
    ["::1.2.3.4", "::102:304"],
  ])("%s -> %s", (input, out) => {
    expect(normalizeIp(input)).toBe(out);
  });

  it.each([
    "not-an-ip",
    "",
    "1.2.3",
    "1.2.3.4.5",
    "256.1.1.1",
    "01.2.3.4",
    " 1.2.3.4",
    "fe80::1%eth0",
    "[::1]",
    "1.2.3.4:80",
    "localhost",
  ])("rejects %j", (input) => {
    expect(normalizeIp(input)).toBeUndefined();
  });
});

describe("isPublicIp", () => {
  it.each(["8.8.8.8", "1.1.1.1", "161.33.19.183", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"])(
    "public: %s",
    (ip) => {
      expect(isPublicIp(ip)).toBe(true);
    },
  );

  it.each([
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "127.0.0.1",
    "127.255.255.254",
    "169.254.1.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.8",
    "192.0.2.1",
    "192.168.1.1",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
    "2001:db8::1",
    "2001::1",
    "2002:a00:1::1",
    "3fff::1",
    "64:ff9b::a00:1",
    "::ffff:10.0.0.1",
  ])("not public: %s", (ip) => {
    expect(isPublicIp(ip)).toBe(false);
  });

  it("edges of 172.16/12 and 100.64/10", () => {
    expect(isPublicIp("172.15.255.255")).toBe(true);
    expect(isPublicIp("172.32.0.0")).toBe(true);
    expect(isPublicIp("100.63.255.255")).toBe(true);
    expect(isPublicIp("100.128.0.0")).toBe(true);
  });
});

describe("loopback, endpoints, CIDR", () => {
  it("recognises loopback in every spelling", () => {
    for (const s of [
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
      "localhost",
      "LOCALHOST",
    ]) {
      expect(isLoopback(s), s).toBe(true);
    }
    for (const s of ["8.8.8.8", "::2", "10.0.0.1", "garbage"]) expect(isLoopback(s), s).toBe(false);
    expect(isUnspecified("0.0.0.0")).toBe(true);
    expect(isUnspecified("0:0::0")).toBe(true);
  });

  it("formats and parses endpoints", () => {
    expect(formatEndpoint("1.2.3.4", 8335)).toBe("1.2.3.4:8335");
    expect(formatEndpoint("2001:db8::1", 8335)).toBe("[2001:db8::1]:8335");
    expect(parseEndpoint("1.2.3.4:8335")).toEqual({ address: "1.2.3.4", port: 8335 });
    expect(parseEndpoint("[2001:DB8::1]:8335")).toEqual({ address: "2001:db8::1", port: 8335 });
    expect(parseEndpoint("::1")).toBeUndefined();
    expect(parseEndpoint("1.2.3.4:70000")).toBeUndefined();
    expect(parseEndpoint("host:80")).toBeUndefined();
  });

  it("matches CIDR ranges per family", () => {
    expect(inCidr("10.1.2.3", "10.0.0.0", 8)).toBe(true);
    expect(inCidr("11.1.2.3", "10.0.0.0", 8)).toBe(false);
    expect(inCidr("fd00::5", "fc00::", 7)).toBe(true);
    expect(inCidr("10.1.2.3", "::", 0)).toBe(false);
    expect(inCidr("1.2.3.4", "0.0.0.0", 0)).toBe(true);
  });
});
