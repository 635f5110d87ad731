// Every failure of the machine is one of these classes: callers switch on `code` (stable), people
// read `message` (says what went wrong and where).

/** Base class of every error raised by the tokenizer, parser and evaluator. */
export class MachineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Malformed source text. `position` is the index of the offending token. */
export class ParseError extends MachineError {
  readonly position: number;
  constructor(message: string, position: number) {
    super("PARSE_ERROR", message);
    this.position = position;
  }
}

/** A charge would take `meter.used` past `meter.limit`; nothing was added. */
export class MeterExceededError extends MachineError {
  readonly limit: number;
  readonly used: number;
  readonly attempted: number;
  constructor(limit: number, used: number, attempted: number) {
    super(
      "METER_EXCEEDED",
      `meter limit exceeded: charging ${attempted} byte(s) with ${used} of ${limit} already used`,
    );
    this.limit = limit;
    this.used = used;
    this.attempted = attempted;
  }
}

/** An operator needed more operands than the stack held. */
export class StackUnderflowError extends MachineError {
  constructor(where: string, needed: number, available: number) {
    super(
      "STACK_UNDERFLOW",
      `stack underflow in ${where}: needs ${needed} operand(s), the stack holds ${available}`,
    );
  }
}

/** An operand had the wrong kind (for example `+` applied to a Link). */
export class OperandTypeError extends MachineError {
  constructor(where: string, detail: string) {
    super("WRONG_OPERAND_TYPE", `wrong operand type in ${where}: ${detail}`);
  }
}

/** Non-tail `fn` calls nested deeper than `maxCallDepth`. */
export class CallDepthExceededError extends MachineError {
  constructor(where: string, limit: number) {
    super("CALL_DEPTH_EXCEEDED", `call depth limit ${limit} exceeded in ${where}`);
  }
}

/** A program outgrew a host resource bound (value stack, pending work, or the JavaScript heap). */
export class ResourceLimitError extends MachineError {
  constructor(where: string, detail: string) {
    super("RESOURCE_LIMIT", `resource limit reached in ${where}: ${detail}`);
  }
}

/** A `receive` that no running actor can ever satisfy. */
export class ReceiveDeadlockError extends MachineError {
  constructor(detail: string) {
    super("RECEIVE_DEADLOCK", `receive can never be satisfied: ${detail}`);
  }
}

/** An expression that cannot be evaluated (e.g. a Link whose child is only known by hash). */
export class UnresolvedExprError extends MachineError {
  constructor(where: string, detail: string) {
    super("UNRESOLVED_EXPR", `cannot evaluate in ${where}: ${detail}`);
  }
}

/** Bytes that are not a valid serialized expression node. */
export class ExprDecodeError extends MachineError {
  constructor(detail: string) {
    super("EXPR_DECODE", `cannot decode expression: ${detail}`);
  }
}
