/** Why a decode failed; stable across releases so callers can branch on it. */
export type CodecErrorCode =
  | "TRUNCATED"
  | "INVALID_VARINT"
  | "OUT_OF_RANGE"
  | "LENGTH_TOO_LARGE"
  | "INVALID_UTF8"
  | "INVALID_OPTION_TAG"
  | "INVALID_BOOL"
  | "UNKNOWN_VARIANT"
  | "TRAILING_BYTES"
  | "INVALID_VALUE";

/** The only error a decoder throws: every malformed input ends here, never in another exception. */
export class CodecError extends Error {
  override readonly name = "CodecError";
  constructor(
    readonly code: CodecErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}
