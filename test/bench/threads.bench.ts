// Dispatch cost against the number of driver threads: N threads each wait on a mailbox of their
// own; a pump thread sends to every one of them in turn, ROUNDS times, and waits for all replies.
// With a ready queue the cost per message stays flat as N grows (a dispatcher that scanned every
// thread per event took 2.35 s at 8,000 threads).
// Run (after npm run build): node --expose-gc --import tsx test/bench/threads.bench.ts [--json]
import { performance } from "node:perf_hooks";
import { defineDriver, defineProtocol, launch, msg } from "active-driver";

interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const MESSAGES = 200_000;
const RUNS = 3;
const COUNTS = [10, 1000, 8000];

const Kick = defineProtocol({
  name: "kick",
  messages: { go: msg.in({ reply: "done" }), done: msg.out<number>() },
  initial: "idle",
  states: { idle: { go: "busy" }, busy: { done: "idle" } },
});

function driverWith(threads: number, rounds: number) {
  return defineDriver({ protocol: Kick }, async ({ wait, send, mb, spawn, mailbox }) => {
    const inboxes = Array.from({ length: threads }, (_, i) => mailbox<number>(`in${i}`));
    const back = mailbox<number>("back");
    for (let i = 0; i < threads; i++) {
      const inbox = inboxes[i]!;
      spawn(`worker${i}`, async ({ wait: w, send: s }) => {
        for (;;) {
          const r = await w(inbox);
          s(back, r.msg);
        }
      });
    }
    await wait(mb.go);
    let sum = 0;
    for (let round = 0; round < rounds; round++) {
      for (const inbox of inboxes) send(inbox, round);
      for (let i = 0; i < threads; i++) sum += (await wait(back)).msg;
    }
    send(mb.done, sum);
  });
}

/** Messages per second (each message: one send, one delivery to its worker, one reply back). */
async function measure(threads: number): Promise<number> {
  const rounds = Math.max(1, Math.floor(MESSAGES / threads));
  const inst = launch(driverWith(threads, rounds), { trace: false });
  await inst.idle();
  const t0 = performance.now();
  await inst.os.go();
  const seconds = (performance.now() - t0) / 1000;
  await inst.stop();
  return (rounds * threads * 2) / seconds;
}

export async function runThreadsBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of COUNTS) {
    await measure(n); // warm-up
    const xs: number[] = [];
    for (let r = 0; r < RUNS; r++) xs.push(await measure(n));
    xs.sort((a, b) => a - b);
    rows.push({ name: `dispatch ${n} threads`, value: xs[Math.floor(xs.length / 2)]!, unit: "messages/s", detail: `median of ${RUNS}` });
  }
  return rows;
}

if (require.main === module) {
  void runThreadsBench().then((rows) => {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(rows));
      return;
    }
    console.log(`Dispatch against the number of driver threads: ${MESSAGES.toLocaleString("en-US")} messages through N waiting threads (median of ${RUNS})`);
    const base = rows[0]!.value;
    for (const r of rows) console.log(`${r.name.padEnd(24)} ${r.value.toExponential(2).padStart(10)} ${r.unit}  ratio ${(r.value / base).toFixed(2)}`);
  });
}
