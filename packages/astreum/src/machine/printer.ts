// Expressions -> source text. For every expression the parser can produce, parse(print(x)) equals
// x: integers print as decimal, lists in the parser's right-chained shape. Byte strings the parser
// cannot produce (non-minimal, empty) print as `0x…`, and children known only by hash as `#<hash>`;
// those forms are for reading, not re-parsing. Iterative, so any depth prints.
import { BYTES_TAG, type Expr, LINK_TAG, type LinkExpr } from "./expr.js";
import { decodeSigned, isMinimalSigned, toHex } from "./integer.js";

/**
 * Source text of `expr`. With `maxLength`, printing stops once the text is longer and ends in
 * `…`: values built with `link` may share subtrees, and their text can be exponentially long.
 */
export function printExpr(expr: Expr, options: { maxLength?: number } = {}): string {
  const maxLength = options.maxLength ?? Number.POSITIVE_INFINITY;
  const out: string[] = [];
  let length = 0;
  // Work items: an expression to print, or literal text to emit.
  const work: (Expr | string)[] = [expr];
  while (work.length > 0) {
    const x = work.pop()!;
    const text = typeof x === "string" ? x : x.tag !== LINK_TAG ? atomText(x) : null;
    if (text === null) {
      expandList(x as LinkExpr, work);
      continue;
    }
    out.push(text);
    length += text.length;
    if (length > maxLength) return `${out.join("").slice(0, maxLength)}…`;
  }
  return out.join("");
}

/** Text of a Bytes or Symbol node. */
export function atomText(x: Expr): string {
  if (x.tag === BYTES_TAG) {
    return isMinimalSigned(x.value) ? decodeSigned(x.value).toString() : `0x${toHex(x.value)}`;
  }
  if (x.tag === LINK_TAG) return printExpr(x);
  return x.value;
}

/** Pushes (in reverse) the pieces of one list: `(`, items separated by spaces, `)`. */
function expandList(node: LinkExpr, work: (Expr | string)[]): void {
  const items: (Expr | string)[] = [];
  const head = child(node.head, node.headHash);
  const tail = child(node.tail, node.tailHash);
  if (head === null && tail === null) {
    work.push("()");
    return;
  }
  items.push(head ?? ".");
  let rest = tail;
  // Walk the chain while each tail is a full pair: its head is the next item. The first tail that is
  // not (an atom, NIL, a one-item list, a hash) is the bare last item.
  while (rest !== null) {
    if (typeof rest !== "string" && rest.tag === LINK_TAG && rest.head !== null && rest.tail !== null) {
      items.push(rest.head);
      rest = rest.tail;
    } else {
      items.push(rest);
      rest = null;
    }
  }
  work.push(")");
  for (let k = items.length - 1; k >= 0; k--) {
    work.push(items[k]!);
    if (k > 0) work.push(" ");
  }
  work.push("(");
}

function child(expr: Expr | null, hash: Uint8Array | null): Expr | string | null {
  if (expr !== null) return expr;
  if (hash?.some((b) => b !== 0)) return `#${toHex(hash)}`;
  return null;
}
