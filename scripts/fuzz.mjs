// `npm run fuzz [-- --mutants N --seed S]`: the analyser's mutation fuzz campaign (test/fuzz/) in a
// child process, watched: a mutant whose analysis takes longer than HANG_MS is a hang (the child is
// stopped and the mutant named). Prints mutants, crashes, hangs, mutants per second and p99 time;
// exits 1 when any mutant crashed or hung.
import { fork } from "node:child_process";
import os from "node:os";

const HANG_MS = 10_000;
const args = process.argv.slice(2);
const child = fork("test/fuzz/main.ts", args, { execArgv: ["--conditions=source", "--import", "tsx"], stdio: ["ignore", "pipe", "inherit", "ipc"] });
let last;
let lastAt = Date.now();
let out = "";
child.stdout.on("data", (chunk) => (out += chunk));
child.on("message", (m) => {
  last = m;
  lastAt = Date.now();
});
let hung;
const watchdog = setInterval(() => {
  if (Date.now() - lastAt > HANG_MS) {
    hung = last;
    child.kill("SIGKILL");
  }
}, 500);
child.on("exit", (code) => {
  clearInterval(watchdog);
  if (hung !== undefined) {
    console.log(`HANG: mutant ${hung.index} of ${hung.file} (seed ${hung.seed}, ${hung.operator}: ${hung.detail}) ran over ${HANG_MS / 1000} s`);
    process.exit(1);
  }
  if (code !== 0) {
    console.error(`fuzz campaign failed with status ${code}`);
    process.exit(1);
  }
  const s = JSON.parse(out.trim().split("\n").at(-1));
  console.log(`mutants       ${s.mutants}`);
  console.log(`crashes       ${s.crashes}   (internal errors, exceptions, findings outside their file)`);
  console.log(`hangs         0   (none over ${HANG_MS / 1000} s)`);
  console.log(`mutants/s     ${s.mutantsPerSecond}   (${(s.wallMs / 1000).toFixed(1)} s)`);
  console.log(`analysis time p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms (wall clock)`);
  // On a shared machine the wall clock counts time spent waiting for a CPU; CPU time does not.
  console.log(`analysis CPU  p50 ${s.cpuP50Ms} ms, p99 ${s.cpuP99Ms} ms`);
  console.log(`load average  ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
  for (const f of s.failures) console.log(`  ${f.file} seed ${f.seed} ${f.operator} (${f.detail}): ${f.problem}`);
  process.exit(s.crashes > 0 ? 1 : 0);
});
