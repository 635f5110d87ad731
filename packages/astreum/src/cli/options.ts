// Options shared by the machine subcommands: metering and threading switches -> MachineOptions.
// `run` and `eval` stop a program at DEFAULT_METER_LIMIT metered bytes unless told otherwise, so a
// runaway program ends by itself (the REPL keeps no limit by default: one meter spans the session).
import { type Command, InvalidArgumentError } from "commander";
import type { MachineOptions } from "../machine/index.js";

/** The meter limit of `run` and `eval`: 10^8 bytes, a few seconds of a runaway loop. */
export const DEFAULT_METER_LIMIT = 100_000_000;

export interface MachineFlags {
  /** A number of bytes, false for --no-meter-limit, undefined when not given. */
  meterLimit?: number | false;
  meter: boolean;
  threading: boolean;
}

export function addMachineOptions(cmd: Command, defaultLimit: number | null = null): Command {
  return cmd
    .option(
      "--meter-limit <bytes>",
      `stop with MeterExceededError past this many metered bytes${defaultLimit === null ? "" : ` (default ${defaultLimit})`}`,
      parseLimit,
    )
    .option("--no-meter-limit", "no meter limit: run until the program ends")
    .option("--no-meter", "do not meter (no limit applies)")
    .option("--no-threading", "disable spawn/send/receive (they push NIL)");
}

export function machineOptions(flags: MachineFlags, defaultLimit: number | null = null): MachineOptions {
  const limit = flags.meterLimit === false ? null : (flags.meterLimit ?? defaultLimit);
  return { meterEnabled: flags.meter, meterLimit: limit, allowThreading: flags.threading };
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError("expected a non-negative integer number of bytes");
  }
  return n;
}
