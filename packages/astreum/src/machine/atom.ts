// Atoms: one serialized expression node (facts §1.4), identified by its BLAKE3 expression hash.
import { ExprDecodeError } from "./errors.js";
import {
  BYTES_TAG,
  BytesExpr,
  type Expr,
  isAbsentHash,
  LINK_TAG,
  LinkExpr,
  SYMBOL_TAG,
  SymbolExpr,
} from "./expr.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The atom id of an expression: its 32-byte BLAKE3 expression hash. */
export function atomId(expr: Expr): Uint8Array {
  return expr.hash();
}

/** Serialized form of one node: tag byte then content (a Link holds its two child hashes). */
export function serializeExpr(expr: Expr): Uint8Array {
  return expr.serialize();
}

/**
 * Decodes one node. A Link comes back holding only its child hashes (children are not
 * materialised); a child hash of 32 zero bytes means "absent".
 */
export function deserializeExpr(data: Uint8Array): Expr {
  if (data.length === 0) throw new ExprDecodeError("empty bytes");
  const tag = data[0]!;
  if (tag === LINK_TAG) {
    if (data.length < 65) throw new ExprDecodeError(`link needs 65 bytes, got ${data.length}`);
    const hh = data.slice(1, 33);
    const th = data.slice(33, 65);
    return new LinkExpr(null, null, isAbsentHash(hh) ? null : hh, isAbsentHash(th) ? null : th);
  }
  if (tag === SYMBOL_TAG) {
    try {
      return new SymbolExpr(strictUtf8.decode(data.subarray(1)));
    } catch {
      throw new ExprDecodeError("symbol text is not valid UTF-8");
    }
  }
  if (tag === BYTES_TAG) return new BytesExpr(data.slice(1));
  throw new ExprDecodeError(`unknown tag byte 0x${tag.toString(16).padStart(2, "0")}`);
}
