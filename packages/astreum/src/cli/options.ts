// Options shared by every subcommand: metering and threading switches -> MachineOptions.
import { type Command, InvalidArgumentError } from "commander";
import type { MachineOptions } from "../machine/index.js";

export interface MachineFlags {
  meterLimit?: number;
  meter: boolean;
  threading: boolean;
}

export function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--meter-limit <bytes>", "stop with MeterExceededError past this many metered bytes", parseLimit)
    .option("--no-meter", "do not meter (no limit applies)")
    .option("--no-threading", "disable spawn/send/receive (they push NIL)");
}

export function machineOptions(flags: MachineFlags): MachineOptions {
  return { meterEnabled: flags.meter, meterLimit: flags.meterLimit ?? null, allowThreading: flags.threading };
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("expected a non-negative integer number of bytes");
  }
  return n;
}
