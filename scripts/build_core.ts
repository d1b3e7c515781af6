/**
 * `deno task build`: compiles the AssemblyScript core (`assembly/`) to `build/flybrain.wasm` and
 * its threads build `build/flybrain_threads.wasm` (asconfig.json targets `release`, `threads`),
 * quietly (`scripts/build_core.ts [root]` builds the project at `root`, this one by default). A target is skipped when its module is newer than every source (the files of
 * `assembly/`, `asconfig.json` and this script); the compiler's output is shown only when it
 * fails, or when it says more than its usual `Last converge was suboptimal.` note.
 *
 * @module
 */

/** The compiler, pinned like every dependency. */
const ASC = "npm:assemblyscript@0.28.20/asc";
/** What the optimizer prints on every successful build: not worth a line. */
const NOISE = /^Last converge was suboptimal\.$/;

function mtime(path: string): number {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return 0;
    throw e;
  }
}

function newestSource(root: string): number {
  let newest = Math.max(mtime(`${root}/asconfig.json`), mtime(new URL(import.meta.url).pathname));
  for (const entry of Deno.readDirSync(`${root}/assembly`)) {
    if (entry.isFile) newest = Math.max(newest, mtime(`${root}/assembly/${entry.name}`));
  }
  return newest;
}

/** The targets of asconfig.json and the module each writes. */
const TARGETS: readonly (readonly [string, string])[] = [
  ["release", "build/flybrain.wasm"],
  ["threads", "build/flybrain_threads.wasm"],
];

/**
 * Builds the core of the project at `root`: each target whose module is missing or older than
 * its sources; resolves with the compiler's exit code (0 when nothing was to do).
 */
export async function buildCore(root: string = new URL("..", import.meta.url).pathname): Promise<number> {
  for (const [target, file] of TARGETS) {
    if (mtime(`${root}/${file}`) > newestSource(root)) continue;
    const code = await buildTarget(root, target);
    if (code !== 0) return code;
  }
  return 0;
}

async function buildTarget(root: string, target: string): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read=.", "--allow-write=build", "--allow-env=CI", ASC, "--target", target],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(new Uint8Array([...out.stdout, ...out.stderr]));
  const said = text.split("\n").filter((line) => line.trim() !== "" && !NOISE.test(line.trim()));
  if (!out.success || said.length > 0) console.error(out.success ? said.join("\n") : text.trimEnd());
  return out.code;
}

if (import.meta.main) Deno.exit(await buildCore(Deno.args[0]));
