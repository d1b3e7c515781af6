/**
 * `deno task pack`: the npm package of the library. Bundles `npm/index.ts` (the browser-safe
 * entry src/mod.ts with a `loadCore` that also works under Node; npm dependencies included) into
 * one ES module with its declarations (`deno bundle --declaration`), adds the built core
 * (`build/flybrain.wasm`, found by the loader at `../build/flybrain.wasm` from the module: with
 * `node:fs` under Node, `fetch` in browsers)
 * and a package.json without dependencies, then packs `build/flystability-<version>.tgz` with
 * the machine's `npm pack`. `--out DIR` chooses the folder of the tarball.
 *
 * @module
 */

import denoJson from "../deno.json" with { type: "json" };

/** The project's root folder. */
const ROOT = new URL("..", import.meta.url).pathname;

/** The package's name (the tarball is `<name>-<version>.tgz`). */
export const PACKAGE_NAME = "flystability";

/** The package.json of the package. */
export function packageJson(version: string): Record<string, unknown> {
  return {
    name: PACKAGE_NAME,
    version,
    description: "Lyapunov spectra of rate RNNs and their exact gradients, in one SIMD WebAssembly module",
    type: "module",
    main: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./flybrain.wasm": "./build/flybrain.wasm",
    },
    files: ["dist/", "build/flybrain.wasm", "README.md"],
    engines: { node: ">=20" },
    sideEffects: false,
    keywords: ["lyapunov", "rnn", "chaos", "webassembly", "connectome"],
  };
}

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return text;
}

/**
 * The bundled declarations import the ids and codes of the wasm interface from
 * `../assembly/abi.ts`, which the package does not carry (the bundle inlines their values):
 * replaces that import with the enums themselves, declared.
 */
async function inlineAbiDeclarations(dts: string): Promise<void> {
  const text = await Deno.readTextFile(dts);
  const line = /^import \{[^}]*\} from "\.\.\/assembly\/abi\.ts";$/m;
  if (!line.test(text)) throw new Error(`Cannot pack: ${dts} no longer imports assembly/abi.ts as expected`);
  const abi = (await Deno.readTextFile(`${ROOT}assembly/abi.ts`)).replaceAll("export enum ", "declare enum ");
  await Deno.writeTextFile(dts, text.replace(line, abi.trim()));
}

/** Builds the package folder and its tarball; returns the tarball's path. */
export async function pack(outDir = `${ROOT}build`): Promise<string> {
  const wasm = `${ROOT}build/flybrain.wasm`;
  await Deno.stat(wasm).catch(() => {
    throw new Error(`Cannot pack: ${wasm} is missing; run \`deno task build\` first`);
  });
  const pkg = await Deno.makeTempDir({ prefix: "flystability-pack-" });
  try {
    await Deno.mkdir(`${pkg}/build`);
    await run(Deno.execPath(), [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      "--declaration",
      "-o",
      `${pkg}/dist/index.js`,
      `${ROOT}npm/index.ts`,
    ], ROOT);
    await inlineAbiDeclarations(`${pkg}/dist/index.d.ts`);
    await Deno.copyFile(wasm, `${pkg}/build/flybrain.wasm`);
    await Deno.copyFile(`${ROOT}npm/README.md`, `${pkg}/README.md`);
    await Deno.writeTextFile(
      `${pkg}/package.json`,
      JSON.stringify(packageJson(denoJson.version), null, 2) + "\n",
    );
    await Deno.mkdir(outDir, { recursive: true });
    const name = (await run("npm", ["pack", "--silent", "--pack-destination", outDir, pkg], ROOT)).trim();
    return `${outDir}/${name}`;
  } finally {
    await Deno.remove(pkg, { recursive: true });
  }
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--out");
  const out = i >= 0 ? Deno.args[i + 1] : undefined;
  try {
    console.log(await pack(out));
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
