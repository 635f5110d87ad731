#!/usr/bin/env node
// `astreum`: run Astreum machine programs from a file, the command line, or a REPL.
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { Machine, type MachineOptions } from "../machine/index.js";
import { formatActorFailure, formatError, formatStack } from "./format.js";
import { registerNodeCommands } from "./node-commands.js";
import { addMachineOptions, DEFAULT_METER_LIMIT, type MachineFlags, machineOptions } from "./options.js";
import { startRepl } from "./repl.js";

/** Evaluates every top-level form; prints the final stack, or the error with exit code 1. */
function execute(source: string, options: MachineOptions, file?: string): void {
  const machine = new Machine(null, options);
  try {
    const stack = machine.runSource(source);
    process.stdout.write(`${formatStack(stack)}\n`);
  } catch (error) {
    process.stderr.write(`${formatError(error, source, file)}\n`);
    process.exitCode = 1;
  }
  for (const f of machine.takeActorFailures()) process.stderr.write(`${formatActorFailure(f)}\n`);
}

const program = new Command()
  .name("astreum")
  .description(
    "Astreum: the stack machine (run, eval, repl) and the node (node, keygen, tx send).\n" +
      "Programs are postfix S-expressions: (1 2 +) leaves [3]; the final stack prints bottom first.",
  )
  .showHelpAfterError();

addMachineOptions(
  program
    .command("run")
    .description("evaluate every top-level form of FILE and print the final stack")
    .argument("<file>", "source file"),
  DEFAULT_METER_LIMIT,
).action((file: string, flags: MachineFlags) => {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    process.stderr.write(`error: cannot read ${file}: ${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  execute(source, machineOptions(flags, DEFAULT_METER_LIMIT), file);
});

addMachineOptions(
  program
    .command("eval")
    .description("evaluate SOURCE and print the final stack")
    .argument("<source>", "program text, e.g. '(1 2 +)'"),
  DEFAULT_METER_LIMIT,
).action((source: string, flags: MachineFlags) => {
  execute(source, machineOptions(flags, DEFAULT_METER_LIMIT));
});

addMachineOptions(
  program
    .command("repl")
    .description("interactive session: one machine and one environment across inputs")
    .option("--history-file <path>", "load and append input history here"),
).action(async (flags: MachineFlags & { historyFile?: string }) => {
  await startRepl({
    machine: machineOptions(flags),
    ...(flags.historyFile === undefined ? {} : { historyFile: flags.historyFile }),
  });
});

registerNodeCommands(program);

await program.parseAsync();
