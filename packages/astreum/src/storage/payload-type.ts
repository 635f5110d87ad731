// What an advertisement or an object request refers to (facts §2.7, §3.8).

export const PayloadType = {
  /** One atom. */
  ATOM: 1,
  /** A list: its root atom and the atoms of its chain and items. */
  LIST: 2,
} as const;
export type PayloadType = (typeof PayloadType)[keyof typeof PayloadType];

export function isPayloadType(x: unknown): x is PayloadType {
  return x === 1 || x === 2;
}
