// Contents of OBJECT_REQUEST and OBJECT_RESPONSE messages (facts §3.8).
//   request:  code(1) ‖ atom id(32) ‖ [payload type(1)] ‖ data      GET = 0, PUT = 1
//   response: code(1) ‖ atom id(32) ‖ data                          FOUND = 0, PROVIDER = 1,
//                                                                   PAYMENT_REQUIRED = 2
//   FOUND data: payload type(1) ‖ (type 1) one serialized atom
//                                  (type 2) records length(4, BE) ‖ serialized atom, root first
//   provider contact: relay X25519 public key(32) ‖ IPv4(4) ‖ port(2, BE) = 38 bytes
//   PAYMENT_REQUIRED data: payment public key(32) ‖ size estimate(u64 BE) ‖ base fee(u64 BE)
//                          [‖ hint contact(38)] = 48 or 86 bytes
import { isPayloadType, PayloadType } from "../storage/payload-type.js";
import { ipv4FromBytes, ipv4ToBytes } from "./address.js";
import { PROVIDER_CONTACT_BYTES, PUBLIC_KEY_BYTES } from "./constants.js";
import { MessageDecodeError } from "./errors.js";

export const ObjectRequestCode = { GET: 0, PUT: 1 } as const;
export type ObjectRequestCode = (typeof ObjectRequestCode)[keyof typeof ObjectRequestCode];
export const ObjectResponseCode = { FOUND: 0, PROVIDER: 1, PAYMENT_REQUIRED: 2 } as const;
export type ObjectResponseCode = (typeof ObjectResponseCode)[keyof typeof ObjectResponseCode];

export interface ObjectRequest {
  code: ObjectRequestCode;
  atomId: Uint8Array;
  payloadType: PayloadType;
  /** PUT: the provider contact. */
  data: Uint8Array;
}

export interface ObjectResponse {
  code: ObjectResponseCode;
  atomId: Uint8Array;
  data: Uint8Array;
}

/** Where an atom can be fetched: a relay key and an IPv4 address. */
export interface ProviderContact {
  publicKey: Uint8Array;
  host: string;
  port: number;
}

export interface PaymentRequired {
  paymentPublicKey: Uint8Array;
  sizeEstimate: bigint;
  baseFee: bigint;
  hint: ProviderContact | null;
}

export function encodeObjectRequest(r: ObjectRequest): Uint8Array {
  checkId(r.atomId);
  const out = new Uint8Array(34 + r.data.length);
  out[0] = r.code;
  out.set(r.atomId, 1);
  out[33] = r.payloadType;
  out.set(r.data, 34);
  return out;
}

export function decodeObjectRequest(bytes: Uint8Array): ObjectRequest {
  if (bytes.length < 33) throw new MessageDecodeError(`object request of ${bytes.length} bytes`);
  const code = bytes[0]!;
  if (code !== ObjectRequestCode.GET && code !== ObjectRequestCode.PUT)
    throw new MessageDecodeError(`unknown object request code ${code}`);
  const atomId = bytes.slice(1, 33);
  if (bytes.length === 33) {
    if (code === ObjectRequestCode.PUT) throw new MessageDecodeError("object put without a payload type");
    return { code, atomId, payloadType: PayloadType.ATOM, data: new Uint8Array(0) };
  }
  const payloadType = bytes[33]!;
  if (!isPayloadType(payloadType)) throw new MessageDecodeError(`unknown payload type ${payloadType}`);
  return { code, atomId, payloadType, data: bytes.subarray(34) };
}

export function encodeObjectResponse(r: ObjectResponse): Uint8Array {
  checkId(r.atomId);
  const out = new Uint8Array(33 + r.data.length);
  out[0] = r.code;
  out.set(r.atomId, 1);
  out.set(r.data, 33);
  return out;
}

export function decodeObjectResponse(bytes: Uint8Array): ObjectResponse {
  if (bytes.length < 33) throw new MessageDecodeError(`object response of ${bytes.length} bytes`);
  const code = bytes[0]!;
  if (
    code !== ObjectResponseCode.FOUND &&
    code !== ObjectResponseCode.PROVIDER &&
    code !== ObjectResponseCode.PAYMENT_REQUIRED
  )
    throw new MessageDecodeError(`unknown object response code ${code}`);
  return { code, atomId: bytes.slice(1, 33), data: bytes.subarray(33) };
}

/** FOUND data for one atom. */
export function encodeFoundAtom(atom: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + atom.length);
  out[0] = PayloadType.ATOM;
  out.set(atom, 1);
  return out;
}

/** FOUND data for a list: length-prefixed records, the root first. */
export function encodeFoundList(records: readonly Uint8Array[]): Uint8Array {
  let n = 1;
  for (const r of records) n += 4 + r.length;
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  out[0] = PayloadType.LIST;
  let o = 1;
  for (const r of records) {
    view.setUint32(o, r.length);
    out.set(r, o + 4);
    o += 4 + r.length;
  }
  return out;
}

/** Bytes a list record adds to FOUND data. */
export function foundListRecordBytes(atomLength: number): number {
  return 4 + atomLength;
}

export function decodeFound(data: Uint8Array): { payloadType: PayloadType; atoms: Uint8Array[] } {
  if (data.length < 2) throw new MessageDecodeError("object found without content");
  const payloadType = data[0]!;
  if (payloadType === PayloadType.ATOM) return { payloadType, atoms: [data.subarray(1)] };
  if (payloadType !== PayloadType.LIST) throw new MessageDecodeError(`unknown payload type ${payloadType}`);
  const atoms: Uint8Array[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let o = 1;
  while (o < data.length) {
    if (o + 4 > data.length) throw new MessageDecodeError("truncated list record length");
    const len = view.getUint32(o);
    if (len === 0) throw new MessageDecodeError("zero-length list record");
    if (o + 4 + len > data.length) throw new MessageDecodeError("truncated list record");
    atoms.push(data.subarray(o + 4, o + 4 + len));
    o += 4 + len;
  }
  return { payloadType, atoms };
}

export function encodeContact(c: ProviderContact): Uint8Array {
  const ip = ipv4ToBytes(c.host);
  if (ip === null) throw new MessageDecodeError(`a provider contact needs an IPv4 address, got ${c.host}`);
  if (c.publicKey.length !== PUBLIC_KEY_BYTES) throw new MessageDecodeError("contact key must be 32 bytes");
  const out = new Uint8Array(PROVIDER_CONTACT_BYTES);
  out.set(c.publicKey, 0);
  out.set(ip, 32);
  out[36] = c.port >> 8;
  out[37] = c.port & 0xff;
  return out;
}

export function decodeContact(bytes: Uint8Array): ProviderContact {
  if (bytes.length !== PROVIDER_CONTACT_BYTES)
    throw new MessageDecodeError(`provider contact of ${bytes.length} bytes, not 38`);
  const port = (bytes[36]! << 8) | bytes[37]!;
  if (port === 0) throw new MessageDecodeError("provider contact with port 0");
  return { publicKey: bytes.slice(0, 32), host: ipv4FromBytes(bytes.subarray(32, 36)), port };
}

export function encodePaymentRequired(p: PaymentRequired): Uint8Array {
  const out = new Uint8Array(p.hint === null ? 48 : 86);
  const view = new DataView(out.buffer);
  out.set(p.paymentPublicKey, 0);
  view.setBigUint64(32, p.sizeEstimate);
  view.setBigUint64(40, p.baseFee);
  if (p.hint !== null) out.set(encodeContact(p.hint), 48);
  return out;
}

export function decodePaymentRequired(data: Uint8Array): PaymentRequired {
  if (data.length !== 48 && data.length !== 86)
    throw new MessageDecodeError(`payment-required data of ${data.length} bytes`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    paymentPublicKey: data.slice(0, 32),
    sizeEstimate: view.getBigUint64(32),
    baseFee: view.getBigUint64(40),
    hint: data.length === 86 ? decodeContact(data.subarray(48)) : null,
  };
}

function checkId(id: Uint8Array): void {
  if (id.length !== 32) throw new MessageDecodeError(`atom id of ${id.length} bytes`);
}
