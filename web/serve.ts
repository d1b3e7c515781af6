/**
 * `deno task web`: serves the page (web/), the generated scripts and the wasm build (build/)
 * and the runs (data/, read-only) on 127.0.0.1. The server runs in a child Deno whose
 * permissions allow reading only those folders, listening only on 127.0.0.1:<port>, and
 * nothing else (no writes, no other network, no subprocesses, no environment).
 *
 * Options: `--port P` (default 8000; 0 picks a free port), `--data DIR` (default data).
 *
 * @module
 */

import { runDenoChild } from "../src/deno.ts";

/** The project's root folder (no trailing slash). */
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Options of the server. */
export interface ServeOptions {
  port: number;
  data: string;
}

/** Parses `--port` and `--data`; throws RangeError on anything else. */
export function parseServeArgs(args: string[]): ServeOptions {
  const opts: ServeOptions = { port: 8000, data: "data" };
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    const value = inline ?? args[++i];
    if (name === "--port") {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new RangeError(`Cannot serve: --port must be an integer in [0, 65535], got ${value}`);
      }
      opts.port = port;
    } else if (name === "--data" && value !== undefined) {
      opts.data = value;
    } else {
      throw new RangeError(`Cannot serve: unknown option ${args[i]} (expected --port P, --data DIR)`);
    }
  }
  return opts;
}

/** The Deno permission flags of the server's sandbox. */
export function serveFlags(port: number, dataDir: string): string[] {
  return [
    "--no-prompt",
    `--allow-read=${ROOT}/web,${ROOT}/build,${ROOT}/data/connectomics,${dataDir}`,
    `--allow-net=127.0.0.1:${port}`,
    "--deny-write",
    "--deny-run",
    "--deny-ffi",
    "--deny-sys",
    "--deny-env",
  ];
}

if (import.meta.main) {
  let opts: ServeOptions;
  try {
    opts = parseServeArgs(Deno.args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(2);
  }
  const dataDir = await Deno.realPath(opts.data).catch(() =>
    new URL(opts.data, `file://${Deno.cwd()}/`).pathname
  );
  const code = await runDenoChild(`${ROOT}/web/_server.ts`, [String(opts.port), ROOT, dataDir], {
    permissions: serveFlags(opts.port, dataDir),
    stdin: "parent",
  });
  Deno.exit(code > 128 ? 0 : code); // stopped by a signal: the server's normal end
}
