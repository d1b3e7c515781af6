/**
 * Builds the page's scripts: bundles the browser entry points (web/app/*.ts with the library's
 * browser entry, src/mod.ts) with `deno bundle`, and vendors uPlot and the AssemblyScript loader from text
 * imports (no copy of the npm cache is read at run time). `--out DIR` writes the generated
 * files only (what `deno task web` serves next to web/); `--dist DIR` writes a complete static
 * site (pages, scripts, vendor files, both wasm builds, deploy notes and `_headers`) with
 * relative URLs.
 *
 * @module
 */

import uplotJs from "uplot/dist/uPlot.esm.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import loaderJs from "@assemblyscript/loader" with { type: "text" };
import { ISOLATION_HEADERS } from "./app/_threads.ts";

/** The project's root folder. */
const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Browser entry points, bundled to app/<name>.js: the pages' scripts, the explorer's Worker and
 * the library's thread-team Worker (started by the explorer's threaded core).
 */
export const ENTRY_POINTS: Readonly<Record<string, string>> = Object.freeze({
  viewer: "web/app/viewer.ts",
  explorer: "web/app/explorer.ts",
  explorer_worker: "web/app/explorer_worker.ts",
  team_worker: "src/_team_worker.ts",
});

/** Bare specifiers left out of the bundles, and the vendored file each becomes (relative to app/). */
export const EXTERNALS: Readonly<Record<string, string>> = Object.freeze({
  "uplot": "../vendor/uPlot.esm.js",
  "@assemblyscript/loader": "../vendor/assemblyscript-loader.js",
});

/** Static files of web/ copied into a dist site. */
export const PAGE_FILES: readonly string[] = ["index.html", "explorer.html", "style.css"];

async function bundle(source: string, outFile: string): Promise<void> {
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
      `${ROOT}${source}`,
    ],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`Cannot bundle ${source}: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  let js = await Deno.readTextFile(outFile);
  for (const [name, path] of Object.entries(EXTERNALS)) {
    js = js.replaceAll(`from "${name}"`, `from "${path}"`);
  }
  if (/from "(uplot|@assemblyscript\/loader)"/.test(js)) {
    throw new Error(`Cannot bundle ${source}: a bare import was left in ${outFile}`);
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
  await Promise.all(
    Object.entries(ENTRY_POINTS).map(([name, source]) => bundle(source, `${dir}/app/${name}.js`)),
  );
}

/** The wasm builds a static site ships: the single-threaded core and the threads build. */
export const SITE_CORES: readonly string[] = ["flybrain.wasm", "flybrain_threads.wasm"];

/**
 * The `_headers` file of a static site (the format of Netlify and Cloudflare Pages): every path
 * gets the headers that make the page cross-origin isolated, so that the explorer may use threads.
 */
export function headersFile(): string {
  return ["/*", ...Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}`)].join("\n") + "\n";
}

/**
 * Writes a complete static site to `dir`: pages, scripts, vendor files, both wasm cores, the
 * deploy notes (README.md, from web/DEPLOY.md) and `_headers`.
 */
export async function buildSite(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await buildScripts(dir);
  for (const file of PAGE_FILES) await Deno.copyFile(`${ROOT}web/${file}`, `${dir}/${file}`);
  await Deno.copyFile(`${ROOT}web/DEPLOY.md`, `${dir}/README.md`);
  await Deno.writeTextFile(`${dir}/_headers`, headersFile());
  // A static host has no run index: an empty one tells the viewer to offer opening files.
  await Deno.writeTextFile(`${dir}/runs.json`, JSON.stringify({ runs: [], static: true }) + "\n");
  await Deno.mkdir(`${dir}/build`, { recursive: true });
  for (const core of SITE_CORES) {
    try {
      await Deno.copyFile(`${ROOT}build/${core}`, `${dir}/build/${core}`);
    } catch {
      throw new Error(
        `Cannot build the site: build/${core} is missing. Build it first with \`deno task build\``,
      );
    }
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
