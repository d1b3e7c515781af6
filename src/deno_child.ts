/**
 * Running a script in a child Deno with its own permissions (the sandboxes of the command line
 * and of the page server), so that stopping the parent always stops the child.
 *
 * Deno only.
 *
 * @module
 */

/** Signals passed on to the child, with their numbers (exit code 128 + number). */
const SIGNALS = Object.freeze({ SIGINT: 2, SIGTERM: 15 });

/** How long a child may take to stop after a signal before it is killed, in milliseconds. */
const STOP_GRACE_MS = 500;

/** How to run a child Deno. */
export interface DenoChildOptions {
  /** Permission flags of `deno run` (e.g. `--allow-read=…`, `--deny-net`). */
  permissions: readonly string[];
  /** Variables set in the child's environment (besides this process's). @default {{}} */
  env?: Record<string, string>;
  /**
   * The child's standard input: this process's, none, or (`"parent"`) a pipe this process keeps
   * open and never writes, so the child reads end-of-file when this process ends, however it ends
   * (a SIGKILL cannot be passed on: a child that stops at that end-of-file does not outlive it).
   * @default {"inherit"}
   */
  stdin?: "inherit" | "null" | "parent";
}

/**
 * Runs `deno run <permissions> <script> <args>` and resolves with its exit code (128 + the
 * signal's number when a signal ended it or the parent). SIGINT and SIGTERM received by this
 * process, alone or with its process group, are passed on; a child still running
 * {@linkcode STOP_GRACE_MS} ms later (busy in a computation that cannot see the signal) is
 * killed. The listeners are installed before the child starts, so the child never inherits an
 * ignored SIGINT (as a background job's would be).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const script = "data:application/typescript,Deno.exit(3)";
 * equal(await runDenoChild(script, [], { permissions: ["--no-prompt"] }), 3);
 * ```
 */
export async function runDenoChild(
  script: string,
  args: readonly string[],
  options: DenoChildOptions,
): Promise<number> {
  let child: Deno.ChildProcess | undefined;
  let received: keyof typeof SIGNALS | undefined;
  let killer: ReturnType<typeof setTimeout> | undefined;
  const listeners = (Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]).map((signal) => {
    const pass = () => {
      received ??= signal;
      try {
        child?.kill(signal);
      } catch { /* already gone */ }
      killer ??= setTimeout(() => {
        try {
          child?.kill("SIGKILL");
        } catch { /* already gone */ }
      }, STOP_GRACE_MS);
    };
    Deno.addSignalListener(signal, pass);
    return [signal, pass] as const;
  });
  try {
    child = new Deno.Command(Deno.execPath(), {
      args: ["run", ...options.permissions, script, ...args],
      env: options.env ?? {},
      stdin: options.stdin === "parent" ? "piped" : options.stdin ?? "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    if (received) child.kill(received);
    const status = await child.status;
    if (received) return 128 + SIGNALS[received];
    if (status.signal) return 128 + signalNumber(status.signal);
    return status.code;
  } finally {
    if (options.stdin === "parent") await child?.stdin.close().catch(() => {});
    clearTimeout(killer);
    for (const [signal, pass] of listeners) Deno.removeSignalListener(signal, pass);
  }
}

/** The number of a signal that may end a child (0 for others). */
function signalNumber(signal: Deno.Signal): number {
  const numbers: Partial<Record<Deno.Signal, number>> = { ...SIGNALS, SIGHUP: 1, SIGQUIT: 3, SIGKILL: 9 };
  return numbers[signal] ?? 0;
}
