import { equal, match, ok } from "node:assert/strict";
import { flybrain } from "../_cli.ts";

Deno.test("flybrain spectrum, gradient and vectors print the same numbers with --threads 1, 2 and 3", async () => {
  const withoutSecondsOrThreads = (stdout: string) =>
    stdout.replace(/"seconds":[^,}]*/, "").replace(/"threads":\d+,/, "");
  for (
    const args of [
      ["spectrum", "--n", "70", "--nle", "24", "--tsim", "10", "--json"],
      ["spectrum", "--n", "70", "--nle", "24", "--tsim", "10", "--json", "--kernels", "sparse"],
      ["gradient", "--n", "45", "--nle", "10", "--tsim", "3", "--loss", "MSE", "--json"],
      ["vectors", "--n", "50", "--g", "3", "--nle", "12", "--tsim", "6", "--samples", "4", "--json"],
      ["vectors", "--n", "50", "--g", "3", "--nle", "12", "--tsim", "6", "--json", "--kernels", "sparse"],
    ]
  ) {
    const outs: string[] = [];
    for (const threads of ["1", "2", "3"]) {
      const r = await flybrain(...args, "--threads", threads);
      equal(r.code, 0, r.stderr);
      if (args[0] === "spectrum") equal(JSON.parse(r.stdout).threads, Number(threads), "threads used");
      outs.push(withoutSecondsOrThreads(r.stdout));
    }
    equal(outs[1], outs[0]);
    equal(outs[2], outs[0]);
  }
});

/** Runs tests/e2e/_failing_thread.ts (killed after 20 s): its exit code, stdout and stderr. */
async function failingThread(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_failing_thread.ts", import.meta.url).pathname, ...args],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const out = await child.output();
  clearTimeout(timer);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

for (const tid of [0, 1, 2]) {
  Deno.test(`a kernel that traps in thread ${tid} of 3 gives one error line, exit code 2, and the process ends`, async () => {
    const r = await failingThread("trap", String(tid));
    equal(r.code, 2, `the process did not end by itself: ${r.stderr}`);
    equal(r.stdout, "");
    match(
      r.stderr,
      new RegExp(`^error: The core failed in thread ${tid} of 3 \\(.*\\); its threads were stopped\\n$`),
    );
  });
}

for (const tid of [1, 2]) {
  Deno.test(`a team Worker terminated mid-computation (thread ${tid} of 3) ends the computation within a second with one error line, exit code 2`, async () => {
    const r = await failingThread("kill", String(tid));
    equal(r.code, 2, `the process did not end by itself: ${r.stderr}`);
    equal(
      r.stderr,
      `error: The core failed in thread ${tid} of 3 (its Worker died); its threads were stopped\n`,
    );
    const ms = Number(r.stdout);
    ok(ms >= 0 && ms < 1000, `the error came ${r.stdout.trim()} ms after the kill`);
  });
}
