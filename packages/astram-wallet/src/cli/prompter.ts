import { AbortedError, NoInputError, PasswordMismatchError, WeakPasswordError } from "../errors.js";
import type { CliIo } from "./io.js";

/** Minimum length of a new wallet password. */
export const MIN_PASSWORD_LENGTH = 8;
export const PASSWORD_ENV = "ASTRAM_WALLET_PASSWORD";

/**
 * Questions to the user. On a terminal, secrets are read with echo off (raw mode); otherwise each
 * answer is one line of stdin, so scripts can pipe answers in. Prompts go to stderr, never stdout.
 */
export class Prompter {
  private buffer = "";
  private ended = false;
  private listening = false;
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: string | Buffer) => {
    this.buffer += chunk.toString();
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  constructor(private readonly io: CliIo) {}

  get interactive(): boolean {
    return this.io.stdin.isTTY === true && typeof this.io.stdin.setRawMode === "function";
  }

  /** Releases stdin so the process can exit. */
  close(): void {
    if (this.listening) {
      this.io.stdin.off("data", this.onData);
      this.io.stdin.off("end", this.onEnd);
      this.io.stdin.off("error", this.onEnd);
      this.listening = false;
    }
    this.io.stdin.pause();
    if (!this.interactive) this.io.stdin.destroy?.();
  }

  private async pipedLine(what: string): Promise<string> {
    if (!this.listening) {
      this.io.stdin.setEncoding("utf8");
      this.io.stdin.on("data", this.onData);
      this.io.stdin.on("end", this.onEnd);
      this.io.stdin.on("error", this.onEnd);
      this.io.stdin.resume();
      this.listening = true;
    }
    for (;;) {
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl).replace(/\r$/, "");
        this.buffer = this.buffer.slice(nl + 1);
        this.io.stderr.write("\n");
        return line;
      }
      if (this.ended) {
        if (this.buffer !== "") {
          const line = this.buffer.replace(/\r$/, "");
          this.buffer = "";
          this.io.stderr.write("\n");
          return line;
        }
        this.io.stderr.write("\n");
        throw new NoInputError(what);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }

  private terminalLine(what: string, echo: boolean): Promise<string> {
    const { stdin, stderr } = this.io;
    return new Promise((resolve, reject) => {
      let value = "";
      const finish = (err?: Error) => {
        stdin.off("data", onData);
        stdin.setRawMode!(false);
        stdin.pause();
        stderr.write("\n");
        if (err) reject(err);
        else resolve(value);
      };
      const onData = (chunk: string | Buffer) => {
        const text = chunk.toString();
        if (text.startsWith("\u001b")) return; // arrow keys and other escape sequences
        const chars = Array.from(text);
        for (let k = 0; k < chars.length; k++) {
          const ch = chars[k]!;
          if (ch === "\r" || ch === "\n") {
            // Pasted text may hold the next answers too: give them back to the stream.
            let rest = chars.slice(k + 1).join("");
            if (ch === "\r" && rest.startsWith("\n")) rest = rest.slice(1);
            // Detach and pause first: unshifting into a flowing stream would re-emit it here.
            finish();
            if (rest !== "" && stdin.unshift) stdin.unshift(rest);
            return;
          }
          if (ch === "\u0003") return finish(new AbortedError("interrupted"));
          if (ch === "\u0004") {
            if (value === "") return finish(new NoInputError(what));
            continue;
          }
          if (ch === "\u007f" || ch === "\b") {
            if (echo && value !== "") stderr.write("\b \b");
            value = Array.from(value).slice(0, -1).join("");
            continue;
          }
          if (ch < " ") continue;
          value += ch;
          if (echo) stderr.write(ch);
        }
      };
      stdin.setEncoding("utf8");
      stdin.setRawMode!(true);
      stdin.on("data", onData);
      stdin.resume();
    });
  }

  /** Asks for a secret (hidden on a terminal). */
  async secret(question: string, what = "a secret"): Promise<string> {
    this.io.stderr.write(question);
    return this.interactive ? this.terminalLine(what, false) : this.pipedLine(what);
  }

  /** Asks for a visible line. */
  async line(question: string, what = "an answer"): Promise<string> {
    this.io.stderr.write(question);
    return this.interactive ? this.terminalLine(what, true) : this.pipedLine(what);
  }

  /** A yes/no question; only "y" or "yes" (any case) means yes. */
  async confirm(question: string): Promise<boolean> {
    const answer = await this.line(`${question} [y/N] `, "a yes/no answer");
    return /^(y|yes)$/i.test(answer.trim());
  }

  /** The password of an existing wallet: $ASTRAM_WALLET_PASSWORD, else a prompt. */
  async password(question = "Wallet password: "): Promise<string> {
    const fromEnv = this.io.env[PASSWORD_ENV];
    if (fromEnv !== undefined) return fromEnv;
    return this.secret(question, "the wallet password");
  }

  /**
   * A new password: $ASTRAM_WALLET_PASSWORD, else a prompt (asked twice on a terminal). At least
   * MIN_PASSWORD_LENGTH characters.
   */
  async newPassword(): Promise<string> {
    const fromEnv = this.io.env[PASSWORD_ENV];
    let pw: string;
    if (fromEnv !== undefined) pw = fromEnv;
    else {
      pw = await this.secret("New wallet password: ", "the new wallet password");
      if (Array.from(pw).length >= MIN_PASSWORD_LENGTH && this.interactive) {
        const again = await this.secret("Repeat the password: ", "the repeated password");
        if (again !== pw) throw new PasswordMismatchError();
      }
    }
    if (Array.from(pw).length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_PASSWORD_LENGTH);
    return pw;
  }
}
