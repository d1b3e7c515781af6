/**
 * Running the command line as users do: the `flybrain` task's command, in a subprocess.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/** The project's root folder. */
export const ROOT = new URL("..", import.meta.url).pathname;

/** What a command printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The argv of `deno task flybrain <args>` (same permissions as the task). */
export function flybrainArgs(...args: string[]): string[] {
  return [...denoJson.tasks.flybrain.command.split(" ").slice(1), ...args];
}

/** Runs a program in the project's folder (with NO_COLOR) and waits for it. */
export async function run(program: string, args: string[]): Promise<CliResult> {
  const out = await new Deno.Command(program, {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs `deno task flybrain <args>` and waits for it. */
export function flybrain(...args: string[]): Promise<CliResult> {
  return run(Deno.execPath(), flybrainArgs(...args));
}

/** Quotes a word for `sh`. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `deno task flybrain <args>` as one `sh` command line. */
export function flybrainShell(...args: string[]): string {
  return [Deno.execPath(), ...flybrainArgs(...args)].map(shellQuote).join(" ");
}

/** Pids of a process and its descendants (the sandboxed child runs the command). */
export function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
    for (const c of children.split(/\s+/).filter(Boolean)) out.push(...processTree(Number(c)));
  } catch { /* gone */ }
  return out;
}

/** Asserts-free check that a failed command printed exactly one line; returns that line. */
export function oneLine(r: CliResult): string | undefined {
  const lines = r.stderr.trimEnd().split("\n");
  return lines.length === 1 ? lines[0] : undefined;
}

function works(cmd: string, args: string[]): boolean {
  try {
    return new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Whether a test needing an external program must be skipped: the program is missing and this
 * is not CI (CI installs Debian's chromium and python3-numpy; there a missing one fails).
 */
export function skipWithout(program: "chromium" | "numpy"): boolean {
  const present = program === "chromium"
    ? works("/usr/bin/chromium", ["--version"])
    : works("/usr/bin/python3", ["-c", "import numpy"]);
  if (!present && !Deno.env.get("CI")) {
    console.error(
      `skipping: ${program} is not installed (apt-get install ${
        program === "numpy" ? "python3-numpy" : "chromium"
      })`,
    );
    return true;
  }
  return false;
}
