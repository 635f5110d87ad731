// How the CLI shows values and errors.
import {
  type ActorFailure,
  type Expr,
  lineColumn,
  MachineError,
  ParseError,
  printExpr,
  tokenizeWithOffsets,
} from "../machine/index.js";

/** Longest text shown for one value (values sharing subtrees can have astronomically long text). */
const MAX_VALUE_TEXT = 4_000_000;

/** The stack, bottom first, as `[v1 v2 …]` in source notation. */
export function formatStack(stack: readonly Expr[]): string {
  return `[${stack.map((x) => printExpr(x, { maxLength: MAX_VALUE_TEXT })).join(" ")}]`;
}

/** One line per failure, e.g. `error: STACK_UNDERFLOW: stack underflow in …`. */
export function formatError(error: unknown, source?: string, file?: string): string {
  if (error instanceof ParseError && source !== undefined) {
    const { offsets } = tokenizeWithOffsets(source);
    const offset = offsets[error.position] ?? source.length;
    const { line, column } = lineColumn(source, offset);
    return `error: ${file ?? "<input>"}:${line}:${column}: ${error.message}`;
  }
  if (error instanceof MachineError) return `error: ${error.code}: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

export function formatActorFailure(f: ActorFailure): string {
  return `warning: actor '${f.name}' ended with ${formatError(f.error)}`;
}
