/**
 * SIGINT and SIGTERM stop every command (issue 15), sent to its process group or to its own
 * process alone (what `timeout`, a process manager or a parent script does), even when it was
 * started in the background by a script (where SIGINT is inherited ignored): the sandboxed
 * child stops too, the exit code is 130 or 143, and a workflow marks its manifest interrupted.
 */

import { equal, ok } from "node:assert/strict";
import { flybrainShell, processTree, ROOT } from "../_cli.ts";

/** A spectrum that runs for minutes. */
const LONG_SPECTRUM = ["spectrum", "--n", "300", "--nle", "300", "--tsim", "100000"];

/** Time a stopped command may take, in ms: the requirement is one second; the margin is for a loaded machine. */
const STOP_WITHIN_MS = 1500;

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie has stopped
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the process has a sandboxed child that has run for a moment; returns the tree. */
async function started(pid: number): Promise<number[]> {
  for (let i = 0; i < 300; i++) {
    const tree = processTree(pid);
    if (tree.length >= 2) {
      await sleep(1000); // the child is computing, not loading
      return processTree(pid);
    }
    await sleep(100);
  }
  throw new Error("the sandboxed child did not start");
}

/**
 * Starts `flybrain <args>` the way a script does (`cmd &` in sh: SIGINT ignored), sends
 * `signal` to its process alone (or to its whole group), and returns the exit code, the time
 * it took to stop and whether any process of its tree is left; the signal waits until `ready()`.
 */
async function stopWith(
  signal: "SIGINT" | "SIGTERM",
  target: "process" | "group",
  args: string[],
  ready: () => boolean = () => true,
): Promise<{ code: number; ms: number; left: number[]; stderr: string }> {
  const command = flybrainShell(...args);
  // setsid: its own process group, so that the group signal reaches nothing else.
  const sh = new Deno.Command("setsid", {
    // sh ignores both signals (and so, like a script's background job, starts the command ignoring them).
    args: ["sh", "-c", `trap "" INT TERM; ${command} >/dev/null & echo $!; wait $!`],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = sh.stdout.getReader();
  const { value } = await reader.read();
  const pid = Number(new TextDecoder().decode(value).trim());
  const tree = await started(pid);
  for (let i = 0; i < 300 && !ready(); i++) await sleep(100);
  const t0 = performance.now();
  Deno.kill(target === "group" ? -sh.pid : pid, signal);
  // A command that does not stop is killed after a while, so that the test fails instead of hanging.
  const guard = setTimeout(() => {
    for (const p of [...tree].reverse()) {
      try {
        Deno.kill(p, "SIGKILL");
      } catch { /* gone */ }
    }
  }, 10 * STOP_WITHIN_MS);
  const status = await sh.status;
  clearTimeout(guard);
  const ms = performance.now() - t0;
  reader.releaseLock();
  await sh.stdout.cancel();
  const stderr = await new Response(sh.stderr).text();
  return { code: status.code, ms, left: tree.filter(alive), stderr };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  for (const target of ["process", "group"] as const) {
    Deno.test(`spectrum started in the background stops within a second on ${signal} to its ${target}`, async () => {
      const r = await stopWith(signal, target, LONG_SPECTRUM);
      equal(r.code, signal === "SIGINT" ? 130 : 143, r.stderr);
      ok(r.ms < STOP_WITHIN_MS, `took ${r.ms.toFixed(0)} ms`);
      equal(r.left.length, 0, `left running: ${r.left.join(" ")}`);
    });
  }
}

Deno.test("a workflow stopped by SIGTERM to its process alone exits 143 with an interrupted manifest", async () => {
  const out = await Deno.makeTempDir();
  const args = ["transition_2_chaos", "--gmin", "1", "--gmax", "2", "--m_g", "4", "--n_samples", "25"];
  const parent = `${out}/logs/transition_2_chaos`;
  // Signalled once the run has its folder and manifest (an earlier signal leaves no folder at all).
  const hasManifest = () => {
    try {
      return Array.from(Deno.readDirSync(parent)).some((run) => {
        try {
          return Deno.statSync(`${parent}/${run.name}/manifest.json`).isFile;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
  const r = await stopWith(
    "SIGTERM",
    "process",
    [...args, "--n", "300", "--workers", "1", "--out", out],
    hasManifest,
  );
  equal(r.code, 143, r.stderr);
  ok(r.ms < STOP_WITHIN_MS, `took ${r.ms.toFixed(0)} ms`);
  equal(r.left.length, 0, `left running: ${r.left.join(" ")}`);
  const runs = Array.from(Deno.readDirSync(parent));
  equal(runs.length, 1);
  // The manifest, and the networks finished before the signal (kept for --resume).
  const files = Array.from(Deno.readDirSync(`${parent}/${runs[0].name}`), (e) => e.name).sort();
  ok(files.every((f) => f === "manifest.json" || f === "finished"), files.join(","));
  const manifest = JSON.parse(Deno.readTextFileSync(`${parent}/${runs[0].name}/manifest.json`));
  equal(manifest.status, "interrupted");
});
