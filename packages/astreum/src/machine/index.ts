// Public API of the machine subsystem.
export type { ActorFailure, ActorInfo } from "./actors.js";
export { atomId, deserializeExpr, serializeExpr } from "./atom.js";
export { Env } from "./env.js";
export { bytesEqual, exprEquals } from "./equality.js";
export {
  CallDepthExceededError,
  ExprDecodeError,
  MachineError,
  MeterExceededError,
  OperandTypeError,
  ParseError,
  ReceiveDeadlockError,
  ResourceLimitError,
  StackUnderflowError,
  UnresolvedExprError,
} from "./errors.js";
export {
  BYTES_TAG,
  BytesExpr,
  Expr,
  FALSE,
  LINK_TAG,
  LinkExpr,
  listToExpr,
  NIL,
  SYMBOL_TAG,
  SymbolExpr,
  TRUE,
  ZERO32,
} from "./expr.js";
export { decodeSigned, encodeSigned, fromHex, isMinimalSigned, toHex } from "./integer.js";
export { Machine, type MachineNode, type MachineOptions } from "./machine.js";
export { Meter } from "./meter.js";
export { OPERATOR_NAMES } from "./operators/index.js";
export { parse, parseAll, parseAt, QUOTE_SYMBOL } from "./parser.js";
export { atomText, printExpr } from "./printer.js";
export { DEFAULT_LIMITS, type MachineCounters, type MachineLimits } from "./runtime.js";
export { isSpace, lineColumn, tokenize, tokenizeWithOffsets } from "./tokenizer.js";
