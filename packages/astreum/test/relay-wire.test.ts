// The 0.4.0 wire format (facts §3): message header (tests.communication.test_message_port), PoW
// prefix, encrypted body, ping, object and route contents, addresses.
import {
  addPow,
  checkPow,
  DecryptionError,
  decodeContact,
  decodeFound,
  decodeMessage,
  decodeObjectRequest,
  decodeObjectResponse,
  decodePaymentRequired,
  decodePing,
  decodeRouteRequest,
  decodeRouteResponse,
  encodeContact,
  encodeFoundAtom,
  encodeFoundList,
  encodeHandshakeDatagram,
  encodeMessage,
  encodeNormalDatagram,
  encodeObjectRequest,
  encodeObjectResponse,
  encodePaymentRequired,
  encodePing,
  encodeRouteRequest,
  encodeRouteResponse,
  InvalidAddressError,
  InvalidPeerKeyError,
  ipv6FromBytes,
  ipv6ToBytes,
  leadingZeroBits,
  MessageDecodeError,
  NORMAL_OVERHEAD_BYTES,
  ObjectRequestCode,
  ObjectResponseCode,
  openBody,
  PayloadType,
  parseSeed,
  RouteId,
  relayKeyPair,
  sealBody,
  sharedKey,
  Topic,
} from "astreum";
import fc from "fast-check";
import { createBLAKE3 } from "hash-wasm";
import { describe, expect, it } from "vitest";
import { hex } from "./helpers.js";

const hasher = await createBLAKE3();
/** BLAKE3-256 of the concatenated parts, computed here independently of the package. */
function blake3(...parts: Uint8Array[]): Uint8Array {
  hasher.init();
  for (const p of parts) hasher.update(p);
  return hasher.digest("binary");
}
const key32 = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("tests.communication.test_message_port (reference)", () => {
  it("a handshake with port 8080 and content 'hello' is 40 bytes, port at bytes 33–35, and round-trips", () => {
    const bytes = encodeMessage({
      handshake: true,
      senderPublicKey: key32(7),
      incomingPort: 8080,
      body: utf8("hello"),
    });
    expect(bytes.length).toBe(40);
    expect(bytes[0]).toBe(1);
    expect(hex(bytes.subarray(33, 35))).toBe("1f90");
    const m = decodeMessage(bytes);
    expect(m).toMatchObject({ handshake: true, incomingPort: 8080 });
    expect(hex(m.senderPublicKey)).toBe(hex(key32(7)));
    expect(new TextDecoder().decode(m.body)).toBe("hello");
    expect(hex(encodeMessage(m))).toBe(hex(bytes));
  });

  it("without a port the header says 0000 and decodes to null", () => {
    const bytes = encodeMessage({
      handshake: true,
      senderPublicKey: key32(7),
      incomingPort: null,
      body: utf8("hello"),
    });
    expect(hex(bytes.subarray(33, 35))).toBe("0000");
    expect(decodeMessage(bytes).incomingPort).toBeNull();
  });

  it("a normal message built by hand decodes with its port and re-encodes identically", () => {
    const body = Uint8Array.from({ length: 40 }, (_, i) => i);
    const bytes = Uint8Array.from([0, ...key32(9), 0x30, 0x39, ...body]);
    const m = decodeMessage(bytes);
    expect(m).toMatchObject({ handshake: false, incomingPort: 12345 });
    expect(hex(encodeMessage(m))).toBe(hex(bytes));
  });

  it("34 bytes are 'missing header bytes'; other malformed headers fail too", () => {
    expect(() => decodeMessage(new Uint8Array(34))).toThrow("missing header bytes");
    expect(() => decodeMessage(Uint8Array.from([2, ...key32(1), 0, 1, 5]))).toThrow(MessageDecodeError);
    expect(() => decodeMessage(Uint8Array.from([0, ...key32(1), 0, 1]))).toThrow(/without a body/);
  });
});

describe("proof-of-work prefix", () => {
  it("counts leading zero bits MSB first across bytes", () => {
    expect(leadingZeroBits(Uint8Array.of(0x80))).toBe(0);
    expect(leadingZeroBits(Uint8Array.of(0x01))).toBe(7);
    expect(leadingZeroBits(Uint8Array.of(0, 0, 0x20))).toBe(18);
    expect(leadingZeroBits(new Uint8Array(4))).toBe(32);
  });

  it("nonce(8, BE) ‖ message, valid when BLAKE3(message ‖ nonce) has the difficulty", () => {
    const message = utf8("an astreum message");
    for (let d = 1; d <= 10; d++) {
      const dg = addPow(message, d);
      expect(hex(dg.subarray(8))).toBe(hex(message));
      expect(leadingZeroBits(blake3(message, dg.subarray(0, 8)))).toBeGreaterThanOrEqual(d);
      expect(checkPow(dg, d)).toBe(true);
      // the first valid nonce: every smaller one fails
      const n = Number(Buffer.from(dg.subarray(0, 8)).readBigUInt64BE());
      for (let k = 0; k < n; k++) {
        const nonce = Buffer.alloc(8);
        nonce.writeBigUInt64BE(BigInt(k));
        expect(leadingZeroBits(blake3(message, nonce))).toBeLessThan(d);
      }
    }
    expect(checkPow(new Uint8Array(8), 1)).toBe(false);
  });

  it("property: addPow always yields a datagram that passes checkPow at its difficulty", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 8 }),
        (msg, d) => {
          expect(checkPow(addPow(msg, d), d)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("keys and the encrypted body", () => {
  const a = relayKeyPair();
  const b = relayKeyPair();

  it("both sides derive the same raw X25519 secret; keys rebuild from relay_secret_key", () => {
    expect(hex(sharedKey(a.privateKey, b.publicKey))).toBe(hex(sharedKey(b.privateKey, a.publicKey)));
    const again = relayKeyPair(a.secretKey);
    expect(hex(again.publicKey)).toBe(hex(a.publicKey));
    // RFC 7748 §6.1 test vector: Alice's private key -> public key
    const alice = relayKeyPair(
      Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex"),
    );
    expect(hex(alice.publicKey)).toBe("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    const bob = Buffer.from("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", "hex");
    expect(hex(sharedKey(alice.privateKey, bob))).toBe(
      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
    );
  });

  it("rejects keys with no shared secret (low-order points) and wrong lengths", () => {
    expect(() => sharedKey(a.privateKey, new Uint8Array(32))).toThrow(InvalidPeerKeyError);
    expect(() => sharedKey(a.privateKey, new Uint8Array(31))).toThrow(InvalidPeerKeyError);
  });

  it("nonce(12) ‖ ChaCha20-Poly1305(topic ‖ content) ‖ tag(16) round-trips under the shared key", () => {
    const k = sharedKey(a.privateKey, b.publicKey);
    const body = sealBody(k, Topic.OBJECT_REQUEST, utf8("content"));
    expect(body.length).toBe(12 + 1 + 7 + 16);
    const opened = openBody(k, body);
    expect(opened.topic).toBe(Topic.OBJECT_REQUEST);
    expect(new TextDecoder().decode(opened.content)).toBe("content");
    expect(hex(sealBody(k, 0, new Uint8Array(0)).subarray(0, 12))).not.toBe(hex(body.subarray(0, 12)));
  });

  it("never repeats a nonce, across refills of the random pool", () => {
    const k = sharedKey(a.privateKey, b.publicKey);
    const nonces = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const body = sealBody(k, Topic.PING, Uint8Array.of(i & 0xff));
      nonces.add(hex(body.subarray(0, 12)));
      expect(openBody(k, body).content).toEqual(Uint8Array.of(i & 0xff));
    }
    expect(nonces.size).toBe(2000);
  });

  it("a wrong key, a flipped bit or a cut body never opens", () => {
    const k = sharedKey(a.privateKey, b.publicKey);
    const body = sealBody(k, Topic.PING, new Uint8Array(34));
    expect(() => openBody(key32(1), body)).toThrow(DecryptionError);
    for (let i = 0; i < body.length; i++) {
      const bad = Uint8Array.from(body);
      bad[i]! ^= 0x40;
      expect(() => openBody(k, bad)).toThrow(DecryptionError);
    }
    expect(() => openBody(k, body.subarray(0, 28))).toThrow(MessageDecodeError);
    expect(() => openBody(k, body.subarray(0, 40))).toThrow(DecryptionError);
  });

  it("whole datagrams: PoW ‖ header ‖ body", () => {
    const hs = encodeHandshakeDatagram({ senderPublicKey: a.publicKey, incomingPort: 4000 });
    expect(hs.length).toBe(8 + 35);
    expect(checkPow(hs, 1)).toBe(true);
    const k = sharedKey(a.privateKey, b.publicKey);
    const dg = encodeNormalDatagram({
      senderPublicKey: a.publicKey,
      incomingPort: 4000,
      sharedKey: k,
      topic: 5,
      content: key32(3),
    });
    expect(dg.length).toBe(NORMAL_OVERHEAD_BYTES + 32);
    const m = decodeMessage(dg.subarray(8));
    expect(openBody(sharedKey(b.privateKey, m.senderPublicKey), m.body).topic).toBe(Topic.TRANSACTION);
  });
});

describe("ping payload", () => {
  it("is_validator ‖ difficulty ‖ latest block hash (zeros = none), 34 bytes", () => {
    const bytes = encodePing({ isValidator: true, difficulty: 3, latestBlockHash: key32(0xee) });
    expect(bytes.length).toBe(34);
    expect(hex(bytes.subarray(0, 2))).toBe("0103");
    expect(decodePing(bytes)).toEqual({ isValidator: true, difficulty: 3, latestBlockHash: key32(0xee) });
    expect(
      decodePing(encodePing({ isValidator: false, difficulty: 1, latestBlockHash: null })).latestBlockHash,
    ).toBeNull();
  });
  it("rejects a wrong length, a flag other than 0/1 and difficulty 0", () => {
    expect(() => decodePing(new Uint8Array(33))).toThrow(MessageDecodeError);
    expect(() => decodePing(Uint8Array.from([2, 1, ...key32(0)]))).toThrow(/flag/);
    expect(() => decodePing(Uint8Array.from([0, 0, ...key32(0)]))).toThrow(/difficulty 0/);
  });
});

describe("object request and response contents", () => {
  it("GET: code ‖ id ‖ payload type (optional on the wire, default 1)", () => {
    const bytes = encodeObjectRequest({
      code: ObjectRequestCode.GET,
      atomId: key32(4),
      payloadType: PayloadType.LIST,
      data: new Uint8Array(0),
    });
    expect(bytes.length).toBe(34);
    expect(decodeObjectRequest(bytes)).toMatchObject({ code: 0, payloadType: 2 });
    expect(decodeObjectRequest(bytes.subarray(0, 33))).toMatchObject({ code: 0, payloadType: 1 });
  });
  it("PUT carries a mandatory payload type and the 38-byte provider contact", () => {
    const contact = { publicKey: key32(5), host: "10.1.2.3", port: 52780 };
    const c = encodeContact(contact);
    expect(hex(c.subarray(32))).toBe("0a010203ce2c");
    expect(decodeContact(c)).toEqual(contact);
    const bytes = encodeObjectRequest({
      code: ObjectRequestCode.PUT,
      atomId: key32(4),
      payloadType: PayloadType.ATOM,
      data: c,
    });
    expect(decodeContact(decodeObjectRequest(bytes).data)).toEqual(contact);
    expect(() => decodeObjectRequest(bytes.subarray(0, 33))).toThrow(/payload type/);
    expect(() => decodeObjectRequest(new Uint8Array(32))).toThrow(MessageDecodeError);
    expect(() => decodeObjectRequest(Uint8Array.from([7, ...key32(1)]))).toThrow(/code 7/);
    expect(() => encodeContact({ ...contact, host: "::1" })).toThrow(/IPv4/);
  });
  it("FOUND: one atom, or length-prefixed records with the root first", () => {
    expect(decodeFound(encodeFoundAtom(Uint8Array.of(2, 1)))).toEqual({
      payloadType: 1,
      atoms: [Uint8Array.of(2, 1)],
    });
    const recs = [Uint8Array.of(0, ...key32(1), ...key32(2)), Uint8Array.of(2, 9)];
    const data = encodeFoundList(recs);
    expect(hex(data.subarray(0, 5))).toBe("0200000041");
    expect(decodeFound(data).atoms.map(hex)).toEqual(recs.map(hex));
    expect(() => decodeFound(Uint8Array.of(2, 0, 0, 0, 0))).toThrow(/zero-length/);
    expect(() => decodeFound(data.subarray(0, data.length - 1))).toThrow(/truncated/);
    expect(() => decodeFound(Uint8Array.of(3, 1))).toThrow(/payload type/);
  });
  it("responses: code ‖ id ‖ data; payment-required data is 48 or 86 bytes", () => {
    const r = encodeObjectResponse({
      code: ObjectResponseCode.PROVIDER,
      atomId: key32(8),
      data: Uint8Array.of(1),
    });
    expect(decodeObjectResponse(r)).toMatchObject({ code: 1, data: Uint8Array.of(1) });
    expect(() => decodeObjectResponse(Uint8Array.from([3, ...key32(1)]))).toThrow(MessageDecodeError);
    const pay = { paymentPublicKey: key32(6), sizeEstimate: 1234n, baseFee: 5n, hint: null };
    expect(encodePaymentRequired(pay).length).toBe(48);
    expect(decodePaymentRequired(encodePaymentRequired(pay))).toEqual(pay);
    const hinted = { ...pay, hint: { publicKey: key32(7), host: "127.0.0.1", port: 9 } };
    expect(encodePaymentRequired(hinted).length).toBe(86);
    expect(decodePaymentRequired(encodePaymentRequired(hinted))).toEqual(hinted);
    expect(() => decodePaymentRequired(new Uint8Array(50))).toThrow(MessageDecodeError);
  });
});

describe("route contents and addresses", () => {
  it("a route request is the route id", () => {
    expect(decodeRouteRequest(encodeRouteRequest(RouteId.VALIDATION))).toBe(1);
    expect(() => decodeRouteRequest(Uint8Array.of(2))).toThrow(MessageDecodeError);
    expect(() => decodeRouteRequest(Uint8Array.of(0, 0))).toThrow(MessageDecodeError);
  });
  it("a route response is ip ‖ port records: 6 bytes over IPv4, 18 over IPv6", () => {
    const addrs = [
      { host: "127.0.0.1", port: 1000 },
      { host: "::1", port: 2000 },
    ];
    const v4 = encodeRouteResponse(addrs, 4);
    expect(hex(v4)).toBe("7f00000103e8");
    expect(decodeRouteResponse(v4, 4)).toEqual([addrs[0]]);
    const v6 = encodeRouteResponse(addrs, 6);
    expect(v6.length).toBe(36);
    expect(decodeRouteResponse(v6, 6)).toEqual(addrs);
    expect(() => decodeRouteResponse(v4, 6)).toThrow(MessageDecodeError);
  });
  it("seeds are host:port or [ipv6]:port with a port in 1…65535", () => {
    expect(parseSeed("bootstrap.astreum.org:52780")).toEqual({ host: "bootstrap.astreum.org", port: 52780 });
    expect(parseSeed("[::1]:7374")).toEqual({ host: "::1", port: 7374 });
    expect(parseSeed(" 127.0.0.1:7374 ")).toEqual({ host: "127.0.0.1", port: 7374 });
    for (const bad of ["", "host", ":80", "host:0", "host:65536", "host:8o", "::1:80", "[::1]80", "[zz]:80"])
      expect(() => parseSeed(bad), bad).toThrow(InvalidAddressError);
  });
  it("IPv6 text and bytes round-trip (IPv4 as IPv4-mapped)", () => {
    for (const h of [
      "::1",
      "fd00::2",
      "2001:db8::8:800:200c:417a",
      "1:2:3:4:5:6:7:8",
      "::",
      "fe80::1:0:0:0",
    ]) {
      const b = ipv6ToBytes(h)!;
      expect(b.length).toBe(16);
      expect(ipv6ToBytes(ipv6FromBytes(b))).toEqual(b);
    }
    expect(hex(ipv6ToBytes("127.0.0.1")!)).toBe("00000000000000000000ffff7f000001");
    expect(ipv6FromBytes(ipv6ToBytes("::ffff:10.0.0.1")!)).toBe("10.0.0.1");
    expect(ipv6FromBytes(ipv6ToBytes("2001:db8:0:0:1:0:0:1")!)).toBe("2001:db8::1:0:0:1");
    expect(ipv6ToBytes("nonsense")).toBeNull();
  });
});
