/**
 * Builds the page's scripts: bundles the browser entry points (web/app/*.ts with the library's
 * browser entry, src/mod.ts) with `deno bundle`, and vendors uPlot and the AssemblyScript loader from text
 * imports (no copy of the npm cache is read at run time). `--out DIR` writes the generated
 * files only (what `deno task web` serves next to web/); `--dist DIR` writes a complete static
 * site (pages, scripts, vendor files and build/flybrain.wasm) with relative URLs.
 *
 * @module
 */

import uplotJs from "uplot/dist/uPlot.esm.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import loaderJs from "@assemblyscript/loader" with { type: "text" };

/** The project's root folder. */
const ROOT = new URL("..", import.meta.url).pathname;

/** Browser entry points, bundled to app/<name>.js. */
export const ENTRY_POINTS: readonly string[] = ["viewer", "explorer", "explorer_worker"];

/** Bare specifiers left out of the bundles, and the vendored file each becomes (relative to app/). */
export const EXTERNALS: Readonly<Record<string, string>> = Object.freeze({
  "uplot": "../vendor/uPlot.esm.js",
  "@assemblyscript/loader": "../vendor/assemblyscript-loader.js",
});

/** Static files of web/ copied into a dist site. */
export const PAGE_FILES: readonly string[] = ["index.html", "explorer.html", "style.css"];

async function bundle(entry: string, outFile: string): Promise<void> {
  const externals = Object.keys(EXTERNALS).flatMap((name) => ["--external", name]);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      ...externals,
      "-o",
      outFile,
      `${ROOT}web/app/${entry}.ts`,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot bundle web/app/${entry}.ts: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  let js = await Deno.readTextFile(outFile);
  for (const [name, path] of Object.entries(EXTERNALS)) {
    js = js.replaceAll(`from "${name}"`, `from "${path}"`);
  }
  if (/from "(uplot|@assemblyscript\/loader)"/.test(js)) {
    throw new Error(`Cannot bundle web/app/${entry}.ts: a bare import was left in ${outFile}`);
  }
  await Deno.writeTextFile(outFile, js);
}

/** Writes app/*.js and vendor/* under `dir`. */
export async function buildScripts(dir: string): Promise<void> {
  await Deno.mkdir(`${dir}/app`, { recursive: true });
  await Deno.mkdir(`${dir}/vendor`, { recursive: true });
  await Deno.writeTextFile(`${dir}/vendor/uPlot.esm.js`, uplotJs);
  await Deno.writeTextFile(`${dir}/vendor/uPlot.min.css`, uplotCss);
  await Deno.writeTextFile(`${dir}/vendor/assemblyscript-loader.js`, loaderJs);
  await Promise.all(ENTRY_POINTS.map((e) => bundle(e, `${dir}/app/${e}.js`)));
}

/** Writes a complete static site to `dir`: pages, scripts, vendor files and the wasm core. */
export async function buildSite(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await buildScripts(dir);
  for (const file of PAGE_FILES) await Deno.copyFile(`${ROOT}web/${file}`, `${dir}/${file}`);
  // A static host has no run index: an empty one tells the viewer to offer opening files.
  await Deno.writeTextFile(`${dir}/runs.json`, JSON.stringify({ runs: [], static: true }) + "\n");
  await Deno.mkdir(`${dir}/build`, { recursive: true });
  try {
    await Deno.copyFile(`${ROOT}build/flybrain.wasm`, `${dir}/build/flybrain.wasm`);
  } catch {
    throw new Error(
      "Cannot build the site: build/flybrain.wasm is missing. Build it first with `deno task build`",
    );
  }
}

if (import.meta.main) {
  const [flag, dir] = Deno.args;
  try {
    if (flag === "--out" && dir) await buildScripts(dir);
    else if (flag === "--dist" && dir) await buildSite(dir);
    else throw new Error("usage: build.ts --out DIR | --dist DIR");
    console.error(`Wrote ${dir}/`);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
}
