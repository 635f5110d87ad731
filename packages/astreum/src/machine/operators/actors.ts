// `spawn`, `send`, `receive` (facts §5.9, seed actor table). With allowThreading false each pops
// nothing, charges 1 and pushes NIL.

import type { Task } from "../evaluator.js";
import { BytesExpr, LINK_TAG, NIL, SYMBOL_TAG } from "../expr.js";
import { BLOCKED } from "../task-state.js";
import { need } from "./operands.js";

const NAME_NOT_SYMBOL = new BytesExpr(new TextEncoder().encode("spawn: actor name must be a symbol"));

function disabled(t: Task): boolean {
  if (t.runtime.allowThreading) return false;
  t.meter.charge(1);
  t.stack.push(NIL);
  return true;
}

/** body name spawn -> name, or NIL when the name is taken or body is not a list. */
export function spawn(t: Task): void {
  if (disabled(t)) return;
  const s = t.stack;
  need(s, 2, "spawn");
  const name = s.pop()!;
  const body = s.pop()!;
  t.meter.charge(name.size);
  if (name.tag !== SYMBOL_TAG) {
    s.push(NAME_NOT_SYMBOL);
    return;
  }
  if (body.tag !== LINK_TAG || !t.runtime.actors.spawn(t, name, body)) {
    t.meter.charge(1);
    s.push(NIL);
    return;
  }
  s.push(name);
}

/** target msg send -> (nothing). A missing mailbox drops the message; a non-Symbol target pushes NIL. */
export function send(t: Task): void {
  if (disabled(t)) return;
  const s = t.stack;
  need(s, 2, "send");
  const msg = s.pop()!;
  const target = s.pop()!;
  t.meter.charge(target.size + msg.size);
  if (target.tag !== SYMBOL_TAG) {
    t.meter.charge(1);
    s.push(NIL);
    return;
  }
  if (!t.runtime.actors.send(target.value, msg)) t.meter.charge(1);
}

/** target receive -> the next message of that mailbox (waits for one), or NIL without a mailbox. */
export function receive(t: Task): void {
  if (disabled(t)) return;
  const s = t.stack;
  need(s, 1, "receive");
  const target = s.pop()!;
  if (target.tag !== SYMBOL_TAG) {
    t.meter.charge(1);
    s.push(NIL);
    return;
  }
  const got = t.runtime.actors.receive(t, target);
  if (got === undefined) {
    // Suspended: the scheduler pushes the message (and charges for it) when one is handed over.
    t.deliveredTargetSize = target.size;
    t.state = BLOCKED;
    return;
  }
  if (got === null) {
    t.meter.charge(target.size + 1);
    s.push(NIL);
    return;
  }
  t.meter.charge(target.size + got.size);
  s.push(got);
}
