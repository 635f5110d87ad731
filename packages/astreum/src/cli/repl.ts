// `astreum repl`: read-eval-print loop over one Machine and one Env. Input continues over several
// lines until its lists balance; `:`-commands inspect the session. History is kept by readline
// (arrow keys on a terminal), listed by `:history`, and persisted to a file when one is given.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Env, Machine, type MachineOptions, printExpr, tokenize } from "../machine/index.js";
import { formatActorFailure, formatError, formatStack } from "./format.js";

export interface ReplOptions {
  machine: MachineOptions;
  historyFile?: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const PROMPT = "astreum> ";
const CONTINUE = "...> ";
const HELP = `Enter expressions; input continues until its lists balance. Commands:
  :meter    bytes metered so far and the limit
  :env      bindings of the session environment
  :actors   live actors and what they wait for
  :history  previous inputs
  :help     this text
  :quit     leave (also Ctrl-D)`;

/** Balance of `(` over `)` in the input so far (comments and #; skips excluded). */
export function openLists(text: string): number {
  let depth = 0;
  for (const t of tokenize(text)) {
    if (t === "(") depth++;
    else if (t === ")") depth--;
  }
  return depth;
}

export function startRepl(options: ReplOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const terminal = Boolean((input as { isTTY?: boolean }).isTTY && (output as { isTTY?: boolean }).isTTY);
  const history = loadHistory(options.historyFile);
  const machine = new Machine(null, options.machine);
  const env = new Env();
  const rl = createInterface({
    input,
    output,
    terminal,
    prompt: PROMPT,
    historySize: 1000,
    history: [...history].reverse(),
    removeHistoryDuplicates: true,
  });
  const say = (line: string) => output.write(`${line}\n`);
  let buffer = "";
  // readline may still deliver lines it had already read when :quit closes it; they are ignored.
  let quitting = false;

  const evaluate = (source: string) => {
    history.push(source);
    if (options.historyFile !== undefined) appendFileSync(options.historyFile, `${JSON.stringify(source)}\n`);
    try {
      say(formatStack(machine.runSource(source, env)));
    } catch (error) {
      say(formatError(error, source));
    }
    for (const f of machine.takeActorFailures()) say(formatActorFailure(f));
  };

  const command = (line: string): boolean => {
    const [name] = line.split(/\s+/);
    switch (name) {
      case ":quit":
      case ":q":
      case ":exit":
        quitting = true;
        rl.close();
        return false;
      case ":meter": {
        const m = machine.meter;
        if (!m.enabled) say("meter: disabled");
        else say(`meter: ${m.used} bytes used${m.limit === null ? " (no limit)" : ` of ${m.limit}`}`);
        break;
      }
      case ":env": {
        const entries = env.entries();
        if (entries.length === 0) say("(no bindings)");
        for (const [k, v] of entries) say(`${k} = ${printExpr(v, { maxLength: 200 })}`);
        break;
      }
      case ":actors": {
        const actors = machine.listActors();
        if (actors.length === 0) say("(no actors)");
        for (const a of actors) {
          say(
            `${a.name}: ${a.state === "waiting" ? `waiting on '${a.waitingOn}'` : "runnable"}, ${a.queued} queued`,
          );
        }
        break;
      }
      case ":history":
        for (const [i, h] of history.entries()) say(`${String(i + 1).padStart(4)}  ${h}`);
        break;
      case ":help":
        say(HELP);
        break;
      default:
        say(`error: unknown command ${name} (try :help)`);
    }
    return true;
  };

  return new Promise((resolve) => {
    rl.on("line", (line) => {
      if (quitting) return;
      if (buffer === "" && line.trim().startsWith(":")) {
        if (command(line.trim())) rl.prompt();
        return;
      }
      buffer = buffer === "" ? line : `${buffer}\n${line}`;
      if (openLists(buffer) > 0) {
        rl.setPrompt(CONTINUE);
        rl.prompt();
        return;
      }
      const source = buffer;
      buffer = "";
      rl.setPrompt(PROMPT);
      if (source.trim() !== "") evaluate(source);
      rl.prompt();
    });
    rl.on("SIGINT", () => {
      if (buffer !== "") {
        buffer = "";
        say("");
        rl.setPrompt(PROMPT);
        rl.prompt();
      } else rl.close();
    });
    rl.on("close", () => {
      if (buffer.trim() !== "" && !quitting)
        say(`error: input ended inside ${openLists(buffer)} unclosed list(s)`);
      say("");
      resolve();
    });
    say("Astreum machine REPL. :help for commands, :quit to leave.");
    rl.prompt();
  });
}

function loadHistory(file: string | undefined): string[] {
  if (file === undefined || !existsSync(file)) return [];
  const out: string[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line === "") continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (typeof entry === "string") out.push(entry);
    } catch {
      // A damaged line is skipped; the rest of the history still loads.
    }
  }
  return out;
}
