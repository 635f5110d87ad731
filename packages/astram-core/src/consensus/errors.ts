/**
 * How a peer that sent invalid data is treated: "ignore" (harmless, e.g. a known block), "reject"
 * (invalid but possibly honest, e.g. a tx spending an output the node does not know yet) or
 * "ban" (provably invalid: the score is added to the peer's ban score; 100 bans).
 */
export type PeerAction =
  | { readonly kind: "ignore" }
  | { readonly kind: "reject" }
  | { readonly kind: "ban"; readonly score: number };

export const IGNORE: PeerAction = { kind: "ignore" };
export const REJECT: PeerAction = { kind: "reject" };
export const ban = (score: number): PeerAction => ({ kind: "ban", score });

/** A consensus or policy failure: a stable code, a human reason, and what to do to the sender. */
export class VerifyError extends Error {
  override readonly name = "VerifyError";
  constructor(
    /** Stable machine-readable code, e.g. "bad-txid" or "bad-diff". */
    readonly code: string,
    /** What was wrong, for logs and API error messages. */
    readonly reason: string,
    readonly action: PeerAction = ban(100),
  ) {
    super(`${code}: ${reason}`);
  }
}

export function isVerifyError(e: unknown): e is VerifyError {
  return e instanceof VerifyError;
}
