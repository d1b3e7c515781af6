import { deepEqual, equal } from "node:assert/strict";
import { ROOT } from "../_cli.ts";

async function build(root: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", `--allow-read=${root},${ROOT}`, "--allow-run", `${ROOT}scripts/build_core.ts`, root],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, output: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

Deno.test("the core build prints nothing, builds the same module, and is skipped while the module is newer than its sources", async () => {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(`${root}/assembly`);
  for (const entry of Deno.readDirSync(`${ROOT}assembly`)) {
    await Deno.copyFile(`${ROOT}assembly/${entry.name}`, `${root}/assembly/${entry.name}`);
  }
  await Deno.copyFile(`${ROOT}asconfig.json`, `${root}/asconfig.json`);
  deepEqual(await build(root), { code: 0, output: "" });
  deepEqual(
    Deno.readFileSync(`${root}/build/flybrain.wasm`),
    Deno.readFileSync(`${ROOT}build/flybrain.wasm`),
  );
  const built = Deno.statSync(`${root}/build/flybrain.wasm`).mtime!.getTime();
  const start = performance.now();
  deepEqual(await build(root), { code: 0, output: "" });
  equal(Deno.statSync(`${root}/build/flybrain.wasm`).mtime!.getTime(), built, "skipped: not rewritten");
  equal(performance.now() - start < 5000, true);
  // A broken source: the compiler's message, and its exit code.
  await Deno.writeTextFile(`${root}/assembly/index.ts`, "export function f(): i32 { return nope; }\n");
  const broken = await build(root);
  equal(broken.code !== 0, true);
  equal(/nope/.test(broken.output), true, broken.output);
});
