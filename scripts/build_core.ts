/**
 * `deno task build`: compiles the AssemblyScript core (`assembly/`) to `build/flybrain.wasm`,
 * quietly (`scripts/build_core.ts [root]` builds the project at `root`, this one by default). Nothing is done when the module is newer than every source (the files of
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

/**
 * Builds the core of the project at `root` when `build/flybrain.wasm` is missing or older than
 * its sources; resolves with the compiler's exit code (0 when nothing was to do).
 */
export async function buildCore(root: string = new URL("..", import.meta.url).pathname): Promise<number> {
  if (mtime(`${root}/build/flybrain.wasm`) > newestSource(root)) return 0;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read=.", "--allow-write=build", "--allow-env=CI", ASC, "--target", "release"],
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
