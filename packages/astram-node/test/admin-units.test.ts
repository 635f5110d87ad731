import { authorizationMatches, basicAuthorization, parseAdminPassword } from "astram-node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressesView, bansView, peersView } from "../src/admin/admin-views.js";
import { formatBytes, formatSpan, parseDuration } from "../src/admin/human-units.js";
import { renderTable } from "../src/admin/text-table.js";

describe("admin units and tables", () => {
  it("parses ban durations and refuses anything else", () => {
    expect(parseDuration("3600")).toBe(3600);
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("30m")).toBe(1800);
    expect(parseDuration("1h")).toBe(3600);
    expect(parseDuration(" 2D ")).toBe(172_800);
    expect(parseDuration("1w")).toBe(604_800);
    for (const bad of ["", "0", "0h", "1x", "-5", "1.5h", "h", "1h30m", "1e3"])
      expect(() => parseDuration(bad), bad).toThrow(/is not a duration/);
  });

  it("formats sizes and spans for people", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20.0 MiB");
    expect(formatSpan(-3)).toBe("0s");
    expect(formatSpan(42.9)).toBe("42s");
    expect(formatSpan(192)).toBe("3m12s");
    expect(formatSpan(3600)).toBe("1h00m");
    expect(formatSpan(18_180)).toBe("5h03m");
    expect(formatSpan(187_200)).toBe("2d04h");
  });

  it("aligns table columns, numbers to the right, without trailing spaces", () => {
    const t = renderTable(
      ["NAME", "N", "NOTE"],
      [
        ["a", "1", "x"],
        ["longer", "100", ""],
      ],
      ["N"],
    );
    expect(t.split("\n")).toEqual(["NAME      N  NOTE", "a         1  x", "longer  100"]);
  });

  it("shows peers, bans and addresses as tables, and says when there are none", () => {
    const now = 1_000_000_000_000;
    const peer = {
      id: "127.0.0.2:4000#1",
      address: "127.0.0.2:18335",
      remote: "127.0.0.2:4000",
      direction: "inbound" as const,
      handshakeDone: true,
      height: 12,
      banScore: 5,
      bytesSent: 2048,
      bytesReceived: 100,
      pingMs: 3.4,
      features: ["addr-gossip/1"],
      version: "0.1.0",
      connectedAt: now - 65_000,
      lastMessageAt: now,
    };
    const lines = peersView([peer], now).split("\n");
    expect(lines[0]).toMatch(
      /^ID\s+ADDRESS\s+DIR\s+HEIGHT\s+BAN\s+SENT\s+RECEIVED\s+PING\s+CONNECTED\s+FEATURES\s+VERSION$/,
    );
    expect(lines[1]).toMatch(
      /^127\.0\.0\.2:4000#1\s+127\.0\.0\.2:18335\s+in\s+12\s+5\s+2\.0 KiB\s+100 B\s+3 ms\s+1m05s\s+addr-gossip\/1\s+0\.1\.0$/,
    );
    // Every column starts where its header starts.
    expect(lines[1]!.indexOf("2.0 KiB") + "2.0 KiB".length).toBe(lines[0]!.indexOf("SENT") + "SENT".length);
    expect(peersView([], now)).toBe("no peers connected");
    const bans = bansView([{ ip: "10.0.0.1", until: now + 3_600_000, reason: "spam", createdAt: now }], now);
    expect(bans.split("\n")[1]).toMatch(/^10\.0\.0\.1\s+1h00m\s+2001-09-09T02:46:40\.000Z\s+spam$/);
    expect(bansView([], now)).toBe("no bans");
    const book = addressesView(
      [{ address: "10.0.0.1:8335", source: "dns", lastSeen: 0, lastAttempt: now - 5000, failures: 2 }],
      now,
    );
    expect(book.split("\n")[1]).toMatch(/^10\.0\.0\.1:8335\s+dns\s+never\s+5s ago\s+2$/);
  });

  it("reads ADMIN_PASSWORD as user:password or a password for admin", () => {
    expect(parseAdminPassword("s3cret")).toEqual({ user: "admin", password: "s3cret" });
    expect(parseAdminPassword("ops:a:b")).toEqual({ user: "ops", password: "a:b" });
    expect(() => parseAdminPassword(":x")).toThrow(/user/);
    expect(() => parseAdminPassword("ops:")).toThrow(/password is empty/);
    expect(() => parseAdminPassword("a\nb")).toThrow(/control character/);
  });

  it("accepts exactly the configured credentials (property, seeded)", () => {
    const seed = 14_001;
    console.log(`admin credentials property: fast-check seed ${seed}`);
    const user = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/);
    const password = fc
      .string({ minLength: 1, maxLength: 40 })
      .filter((p) => !/[\u0000-\u001f\u007f]/.test(p));
    fc.assert(
      fc.property(user, password, user, password, (u, p, u2, p2) => {
        const accepted = [{ user: u, password: p }];
        expect(authorizationMatches(basicAuthorization({ user: u, password: p }), accepted)).toBe(true);
        const other = basicAuthorization({ user: u2, password: p2 });
        expect(authorizationMatches(other, accepted)).toBe(u2 === u && p2 === p);
        expect(authorizationMatches(undefined, accepted)).toBe(false);
        expect(authorizationMatches(basicAuthorization({ user: u, password: p }), [])).toBe(false);
      }),
      { seed, numRuns: 300 },
    );
  });
});
