/** How one execution ended. */
export type ExecOutcome =
  | { readonly kind: "accepted" }
  | { readonly kind: "rejected" }
  | { readonly kind: "crash"; readonly error: unknown };

/** A finding: an input that threw an undocumented error, or ran past the per-input time bound. */
export interface Finding {
  readonly kind: "crash" | "timeout";
  readonly input: Uint8Array;
  /** Error class and message (digits normalised), the identity kept while minimising. */
  readonly signature: string;
  readonly message: string;
  readonly stack: string;
}

/** A crash's identity: same class, same message up to numbers and the same first frame. */
export function signatureOf(error: unknown): string {
  if (!(error instanceof Error)) return `non-error: ${String(error).slice(0, 80)}`;
  const message = error.message.replace(/\d+/g, "N").slice(0, 120);
  const frame = (error.stack ?? "").split("\n").find((l) => l.trim().startsWith("at ")) ?? "";
  return `${error.name}: ${message} @ ${frame.trim().replace(/:\d+:\d+\)?$/, "")}`;
}

export function describeError(error: unknown): { message: string; stack: string } {
  if (error instanceof Error) return { message: `${error.name}: ${error.message}`, stack: error.stack ?? "" };
  return { message: String(error), stack: "" };
}
