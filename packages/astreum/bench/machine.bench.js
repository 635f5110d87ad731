// Astreum machine benchmarks: three programs in the Astreum language, each beside the same
// computation written directly in JavaScript and measured in the same run. Rows report whole
// programs per second (ratio = how many times slower the machine is than plain JavaScript) and
// operator applications per second (every evaluated operator symbol counts once).
import { opsPerSecond } from "../../../bench/lib.js";
import { Machine, printExpr } from "../dist/index.js";

const FIB = `
((' (n)) (' fib-params) def)
((' ((n 0 is_eq) 0
     (' ((n 1 is_eq) 1
         (' ((n -1 + fib-params fib-body fn) (n -2 + fib-params fib-body fn) +))
         if))
     if))
 (' fib-body) def)
(20 fib-params fib-body fn)`;

// 10^6 rounds of tail recursion, each adding 1 to the accumulator (and -1 to the counter).
const COUNT = `
((' (n acc)) (' loop-params) def)
((' ((n 0 is_eq) (' acc) (' (n -1 + acc 1 + loop-params loop-body fn)) if)) (' loop-body) def)
(1000000 0 loop-params loop-body fn)`;

// Build (1 2 … 100000) with link, then walk it summing the heads.
const LIST = `
((' (n acc)) (' build-params) def)
((' ((n 0 is_eq) (' acc) (' (n -1 + n acc link build-params build-body fn)) if)) (' build-body) def)
((' (l acc)) (' walk-params) def)
((' ((l (' ()) is_eq) (' acc) (' (l tail acc l head + walk-params walk-body fn)) if)) (' walk-body) def)
((100000 (' ()) build-params build-body fn) 0 walk-params walk-body fn)`;

function jsFib(n) {
  return n === 0 ? 0 : n === 1 ? 1 : jsFib(n - 1) + jsFib(n - 2);
}

// JavaScript has no tail calls (10^6-deep recursion overflows its stack), so the reference loops.
function jsCount(n) {
  let acc = 0;
  while (n !== 0) {
    n -= 1;
    acc += 1;
  }
  return acc;
}

function jsList(n) {
  let list = null;
  for (let i = n; i > 0; i--) list = { head: i, tail: list };
  let sum = 0;
  for (let l = list; l !== null; l = l.tail) sum += l.head;
  return sum;
}

const CASES = [
  { name: "fib(20), recursive", src: FIB, want: "6765", js: () => jsFib(20), jsName: "JS recursive fib(20)" },
  {
    name: "count to 10^6 by tail recursion",
    src: COUNT,
    want: "1000000",
    js: () => jsCount(1e6),
    jsName: "JS loop to 10^6",
  },
  {
    name: "build + walk a 10^5-element list",
    src: LIST,
    want: "5000050000",
    js: () => jsList(1e5),
    jsName: "JS linked list of 10^5 objects",
  },
];

let sink = 0;

export default async function bench() {
  const rows = [];
  for (const c of CASES) {
    // One checked run gives the result and the operator applications per program.
    const probe = new Machine(null);
    const result = probe.runSource(c.src).map(printExpr).join(" ");
    if (result !== c.want) throw new Error(`${c.name}: expected ${c.want}, got ${result}`);
    const ops = probe.counters.operatorApplications;

    // The JavaScript reference runs first, before the machine's garbage is on the heap.
    const js = opsPerSecond(
      () => {
        sink += c.js();
      },
      { minMs: 1000 },
    );
    const astreum = opsPerSecond(() => new Machine(null).runSource(c.src), { minMs: 2000 });
    rows.push({
      name: `${c.name}`,
      value: astreum,
      unit: "programs/s",
      ref: { name: c.jsName, value: js, unit: "programs/s" },
      note: `JavaScript is ${Math.round(js / astreum)}x faster; ${ops} operator applications per program, metered, no limit`,
    });
    rows.push({ name: `${c.name}: operator applications`, value: astreum * ops, unit: "op/s" });
  }
  if (sink === 0) rows.push({ name: "sink", value: sink, unit: "" });
  return rows;
}
