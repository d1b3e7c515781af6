/**
 * The npm package's entry: the library's browser-safe entry (src/mod.ts) as it is, with a
 * `loadCore` that also reads the core under Node, whose `fetch` cannot read `file:` URLs: there
 * the module is read with `node:fs`; everywhere else (browsers, Deno, Workers) `loadCore` of
 * src/core.ts fetches it. `deno task pack` bundles this file.
 *
 * @module
 */

import { type Core, CORE_URL, type CoreSource, loadCore as fetchCore } from "../src/mod.ts";

export * from "../src/mod.ts";

/** Node's file module, named through a variable so that bundlers for the browser leave it alone. */
const NODE_FS = "node:fs/promises";

/** Whether this runs under Node (Deno also has a `process`, but reads files with fetch). */
function underNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; Deno?: unknown };
  return g.Deno === undefined && g.process?.versions?.node !== undefined;
}

/**
 * Compiles (if needed) and instantiates the core, by default the package's `build/flybrain.wasm`
 * (read with `node:fs` under Node, fetched elsewhere).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * const core = await loadCore();
 * ok(core.module instanceof WebAssembly.Module);
 * ```
 */
export async function loadCore(source: CoreSource = CORE_URL): Promise<Core> {
  if (underNode() && (typeof source === "string" || source instanceof URL)) {
    const url = new URL(source, CORE_URL);
    if (url.protocol === "file:") {
      const fs = await import(NODE_FS) as { readFile(p: URL): Promise<Uint8Array> };
      return await fetchCore(new Uint8Array(await fs.readFile(url)));
    }
  }
  return await fetchCore(source);
}
