// Source text -> tokens (facts §5.1). `(`, `)` and `'` are single-character tokens; `;` comments run
// to the end of the line; `#;` drops the next complete expression; everything else accumulates into
// words. Never throws: any string tokenizes.

const OPEN = 0x28; // (
const CLOSE = 0x29; // )
const QUOTE = 0x27; // '
const SEMI = 0x3b; // ;
const HASH = 0x23; // #
const NEWLINE = 0x0a;
const CR = 0x0d;

/** Python's str.isspace() set, so text splits exactly as in the reference. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

export function tokenize(source: string): string[] {
  return tokenizeWithOffsets(source).tokens;
}

/** Tokens plus the source offset (UTF-16 index) where each one starts, for line:column messages. */
export function tokenizeWithOffsets(source: string): { tokens: string[]; offsets: number[] } {
  const tokens: string[] = [];
  const offsets: number[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === OPEN || c === CLOSE || c === QUOTE) {
      tokens.push(c === OPEN ? "(" : c === CLOSE ? ")" : "'");
      offsets.push(i);
      i++;
    } else if (c === SEMI) {
      i = skipLine(source, i);
    } else if (c === HASH && source.charCodeAt(i + 1) === SEMI) {
      i = skipExpression(source, i + 2);
    } else {
      const start = i;
      while (i < n && !endsWord(source, i, true)) i++;
      tokens.push(source.slice(start, i));
      offsets.push(start);
    }
  }
  return { tokens, offsets };
}

/** 1-based line and column of a source offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** True when position i ends a word: whitespace, parens, `;`, `#;` (and `'` outside skipped text). */
function endsWord(s: string, i: number, quoteEnds: boolean): boolean {
  const c = s.charCodeAt(i);
  if (c === OPEN || c === CLOSE || c === SEMI || isSpace(c)) return true;
  if (c === QUOTE) return quoteEnds;
  return c === HASH && s.charCodeAt(i + 1) === SEMI;
}

/** Index of the line break that ends the comment starting at i (the break itself is kept). */
function skipLine(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === NEWLINE || c === CR) return i;
    i++;
  }
  return n;
}

/**
 * Skips one complete expression after `#;`. `pending[k]` counts expressions still to drop at group
 * nesting level k (k = 0 outside any group); a nested `#;` adds one at the current level, so
 * `#;)` inside a skipped group drops that `)` instead of closing the group. Iterative: nesting
 * depth costs array slots, not JavaScript stack frames.
 */
function skipExpression(s: string, i: number): number {
  const n = s.length;
  const pending: number[] = [1];
  while (i < n) {
    const c = s.charCodeAt(i);
    const top = pending.length - 1;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === SEMI) {
      i = skipLine(s, i);
      continue;
    }
    if (c === HASH && s.charCodeAt(i + 1) === SEMI) {
      pending[top]!++;
      i += 2;
      continue;
    }
    if (c === OPEN) {
      if (pending[top]! > 0) pending[top]!--;
      pending.push(0);
      i++;
    } else if (c === CLOSE) {
      if (pending[top]! > 0) pending[top]!--;
      else if (top > 0) pending.pop();
      i++;
    } else {
      // The skipped word ends at whitespace, parens, `;` or `#;` (a `'` inside it is skipped too).
      while (i < n && !endsWord(s, i, false)) i++;
      if (pending[top]! > 0) pending[top]!--;
    }
    if (pending.length === 1 && pending[0] === 0) return i;
  }
  return n;
}
