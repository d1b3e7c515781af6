/**
 * The sandbox of a run (docs/design.md#12-command-line-and-sandbox): the command runs again in
 * a child Deno with permissions derived from its arguments: reads limited to the project's
 * code, build and data plus the named input files, writes limited to the output root, no
 * network, no subprocesses, no prompts. The parent only waits and forwards Ctrl-C.
 *
 * @module
 */

/** What a run may touch. */
export interface SandboxSpec {
  /** Files or folders it may read besides the project's own. */
  read: string[];
  /** Folders it may write (the output root); it may read them too. */
  write: string[];
}

/** Set in the child so that it does not sandbox itself again. */
export const SANDBOX_ENV = "FLYBRAIN_SANDBOXED";

/** Environment variables a run may read (colour switches of the libraries, debugging). */
const ENV_ALLOWED = ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM", "FLYBRAIN_DEBUG", SANDBOX_ENV];

const PROJECT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Whether this process already runs inside the sandbox. */
export function inSandbox(): boolean {
  return Deno.env.get(SANDBOX_ENV) === "1";
}

/** The Deno permission flags of a sandbox. */
export function sandboxFlags(spec: SandboxSpec): string[] {
  const read = [
    `${PROJECT}/src`,
    `${PROJECT}/cli`,
    `${PROJECT}/build`,
    `${PROJECT}/data`,
    `${PROJECT}/deno.json`,
    ...spec.read,
    ...spec.write, // atomic writes rename a temporary file, which needs read access too
  ];
  const flags = [
    "--no-prompt",
    `--allow-read=${read.join(",")}`,
    `--allow-env=${ENV_ALLOWED.join(",")}`,
    "--deny-net",
    "--deny-run",
    "--deny-ffi",
    "--deny-sys",
  ];
  if (spec.write.length > 0) flags.push(`--allow-write=${spec.write.join(",")}`);
  return flags;
}

/** Runs `cli/main.ts args` in the sandbox; resolves with its exit code. */
export async function runSandboxed(args: string[], spec: SandboxSpec): Promise<number> {
  for (const dir of spec.write) await Deno.mkdir(dir, { recursive: true });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...sandboxFlags(spec), `${PROJECT}/cli/main.ts`, ...args],
    env: { [SANDBOX_ENV]: "1" },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  const forward = () => {
    try {
      child.kill("SIGINT");
    } catch { /* already gone */ }
  };
  Deno.addSignalListener("SIGINT", forward);
  Deno.addSignalListener("SIGTERM", forward);
  try {
    const status = await child.status;
    return status.signal ? 128 + (status.signal === "SIGINT" ? 2 : 15) : status.code;
  } finally {
    Deno.removeSignalListener("SIGINT", forward);
    Deno.removeSignalListener("SIGTERM", forward);
  }
}
