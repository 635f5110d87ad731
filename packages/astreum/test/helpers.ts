// Shared test helpers: fixture loading and a compact way to write expected stacks.
import { readFileSync } from "node:fs";
import {
  BytesExpr,
  type Expr,
  fromHex,
  LinkExpr,
  Machine,
  type MachineOptions,
  NIL,
  printExpr,
  SymbolExpr,
} from "astreum";

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

/** Expected-value notation of the fixtures. */
export type SpecValue =
  | "NIL"
  | { bytes: string }
  | { symbol: string }
  | { text: string }
  | { link: [SpecValue, SpecValue] };

export function fromSpec(v: SpecValue): Expr {
  if (v === "NIL") return NIL;
  if ("bytes" in v) return new BytesExpr(fromHex(v.bytes));
  if ("symbol" in v) return new SymbolExpr(v.symbol);
  if ("text" in v) return new BytesExpr(new TextEncoder().encode(v.text));
  return new LinkExpr(fromSpec(v.link[0]), fromSpec(v.link[1]));
}

/** Hex of a Bytes value, or the printed form of anything else (readable assertion failures). */
export function show(stack: readonly Expr[]): string[] {
  return stack.map((x) => (x.tag === 2 ? `0x${Buffer.from(x.value).toString("hex")}` : printExpr(x)));
}

/** Runs `source` (every top-level form) on a fresh machine; returns the stack and the machine. */
export function runSrc(source: string, options: MachineOptions = {}): { stack: Expr[]; machine: Machine } {
  const machine = new Machine(null, options);
  return { stack: machine.runSource(source), machine };
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
