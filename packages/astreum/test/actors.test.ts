import { Machine, MeterExceededError, printExpr, ReceiveDeadlockError, StackUnderflowError } from "astreum";
import { describe, expect, it } from "vitest";

const run = (m: Machine, src: string) => m.runSource(src).map(printExpr);

const PONG = `
; pong: forever, take n from its own mailbox and put n+1 back
((' ((' pong) ((' pong) receive) 1 + send (' ()) pong-loop fn)) (' pong-loop) def)
((' ((' ()) pong-loop fn)) (' pong) spawn)`;

describe("actors", () => {
  it("main and an actor exchange 200 messages in turn", () => {
    const m = new Machine(null);
    const src = `${PONG}
      ((' (i acc)) (' rt-params) def)
      ((' ((i 0 is_eq) (' acc)
           (' (((' pong) acc send) i -1 + ((' pong) receive) rt-params rt-body fn)) if))
       (' rt-body) def)
      (200 0 rt-params rt-body fn)`;
    expect(run(m, src)).toEqual(["pong", "200"]);
    expect(m.listActors()).toEqual([{ name: "pong", state: "waiting", waitingOn: "pong", queued: 0 }]);
  });

  it("two actors play ping-pong while main waits for the result", () => {
    const m = new Machine(null);
    const src = `
      ; gate and out park on gate's mailbox, so out's mailbox is free to carry the result to main
      ((' ((' gate) receive)) (' gate) spawn)
      ((' ((' gate) receive)) (' out) spawn)
      ; pong replies n+1 to ping
      ((' ((' ping) ((' pong) receive) 1 + send (' ()) pong-loop fn)) (' pong-loop) def)
      ((' ((' ()) pong-loop fn)) (' pong) spawn)
      ; ping sends n to pong and waits for the reply until it reaches 10, then reports to out
      ((' (n)) (' ping-params) def)
      ((' ((n 10 is_eq)
           (' ((' out) n send))
           (' (((' pong) n send) ((' ping) receive) ping-params ping-loop fn)) if))
       (' ping-loop) def)
      ((' (0 ping-params ping-loop fn)) (' ping) spawn)
      ((' out) receive)`;
    expect(run(m, src)).toEqual(["gate", "out", "pong", "ping", "10"]);
    expect(m.listActors().map((a) => `${a.name}:${a.state}:${a.waitingOn}`)).toEqual([
      "gate:waiting:gate",
      "out:waiting:gate",
      "pong:waiting:pong",
    ]);
    expect(m.takeActorFailures()).toEqual([]);

    // Actors outlive a run. Waking gate ends it; out, still waiting on gate's closed mailbox, can
    // never be served: it fails with ReceiveDeadlockError, reported rather than left hanging.
    expect(run(m, "((' gate) 1 send)")).toEqual([]);
    expect(m.listActors().find((a) => a.name === "gate")?.state).toBe("runnable");
    expect(run(m, "()")).toEqual([]); // actors already runnable get their turn first
    const failures = m.takeActorFailures();
    expect(failures.map((f) => f.name)).toEqual(["out"]);
    expect(failures[0]!.error).toBeInstanceOf(ReceiveDeadlockError);
    expect(String(failures[0]!.error)).toMatch(
      /actor 'out' waits on mailbox 'gate', whose actor has finished/,
    );
    expect(m.listActors().map((a) => a.name)).toEqual(["pong"]);
  });

  it("each actor has its own stack and Env (parent = the spawner's Env)", () => {
    const m = new Machine(null);
    const src = `
      (10 (' y) def)
      ((' ((((' a) receive) (' x) def) ((' a) (x y +) send))) (' a) spawn)
      ((' a) 5 send)
      ((' a) receive)
      x`;
    expect(run(m, src)).toEqual(["a", "15", "()"]);
  });

  it("a receive that can never be satisfied is reported, not an eternal hang", () => {
    const m = new Machine(null);
    const err = (() => {
      try {
        m.runSource("((' ((' a) receive)) (' a) spawn) ((' a) receive)");
      } catch (e) {
        return e as ReceiveDeadlockError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ReceiveDeadlockError);
    expect(err!.code).toBe("RECEIVE_DEADLOCK");
    expect(err!.message).toBe(
      "receive can never be satisfied: the main program waits on mailbox 'a' and every actor is waiting as well (actor 'a' on 'a')",
    );
    // The machine stays usable: a later run can still serve the waiting actor.
    expect(run(m, "((' a) 7 send)")).toEqual([]);
    expect(m.listActors()).toEqual([{ name: "a", state: "runnable", waitingOn: null, queued: 0 }]);
    expect(run(m, "()")).toEqual([]);
    expect(m.listActors()).toEqual([]);
  });

  it("main waiting on an actor that finishes without answering fails with ReceiveDeadlockError", () => {
    const m = new Machine(null);
    // w runs long enough to be preempted, then ends without sending anything.
    const src = `
      ((' (n)) (' p) def)
      ((' ((n 0 is_eq) 0 (' (n -1 + p spin fn)) if)) (' spin) def)
      ((' (20000 p spin fn)) (' w) spawn)
      ((' w) receive)`;
    expect(() => m.runSource(src)).toThrow(/main program waits on mailbox 'w', whose actor has finished/);
  });

  it("receive from a missing mailbox pushes NIL; send to one drops the message and pushes nothing", () => {
    const m = new Machine(null);
    expect(run(m, "((' nobody) receive)")).toEqual(["()"]);
    expect(run(m, "((' nobody) 5 send)")).toEqual([]);
    // quote 6, receive 6+1; quote 6, push 1, send 6+1, +1 for the missing mailbox
    expect(m.meter.used).toBe(6 + 7 + 6 + 1 + 7 + 1);
  });

  it("spawn refuses a taken name and non-list bodies with NIL", () => {
    const m = new Machine(null);
    expect(
      run(m, "((' ((' a) receive)) (' a) spawn) ((' ((' a) receive)) (' a) spawn) (5 (' b) spawn)"),
    ).toEqual(["a", "()", "()"]);
  });

  it("an actor's failure is reported and does not stop the main program", () => {
    const m = new Machine(null);
    expect(run(m, "((' (1 +)) (' bad) spawn) (1 2 +)")).toEqual(["bad", "3"]);
    const [f] = m.takeActorFailures();
    expect(f!.name).toBe("bad");
    expect(f!.error).toBeInstanceOf(StackUnderflowError);
    expect(m.listActors()).toEqual([]);
  });

  it("actors run concurrently: a busy actor does not hold main up", () => {
    const m = new Machine(null);
    const src = `
      ((' ()) (' none) def)
      ((' ((' ()) forever fn)) (' forever) def)
      ((' ((' ()) forever fn)) (' busy) spawn)
      (1 2 +)`;
    expect(run(m, src)).toEqual(["busy", "3"]);
    expect(m.listActors()).toEqual([{ name: "busy", state: "runnable", waitingOn: null, queued: 0 }]);
  });

  it("all actors share the machine's meter", () => {
    const m = new Machine(null, { meterLimit: 5000 });
    const src = `
      ((' ((' ()) forever fn)) (' forever) def)
      ((' ((' ()) forever fn)) (' busy) spawn)
      ((' (n)) (' p) def)
      ((' ((n 0 is_eq) 0 (' (n -1 + p spin fn)) if)) (' spin) def)
      (100000 p spin fn)`;
    expect(() => m.runSource(src)).toThrow(MeterExceededError);
    expect(m.meter.used).toBeLessThanOrEqual(5000);
  });

  it("allowThreading false: spawn, send and receive pop nothing, charge 1, push NIL", () => {
    const m = new Machine(null, { allowThreading: false });
    expect(run(m, "((' (1)) (' a) spawn)")).toEqual(["(1)", "a", "()"]);
    expect(run(m, "((' a) 5 send)")).toEqual(["a", "5", "()"]);
    expect(run(m, "((' a) receive)")).toEqual(["a", "()"]);
    expect(run(m, "(receive)")).toEqual(["()"]);
    expect(m.listActors()).toEqual([]);
  });
});
