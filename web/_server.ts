/**
 * The page server itself, run by `web/serve.ts` inside its sandbox: Deno.serve on 127.0.0.1,
 * static files from the mounts (GET and HEAD only) and `runs.json`, the index of the runs, every
 * answer with the headers that make the pages cross-origin isolated (threads in the explorer).
 *
 * Usage: `_server.ts <port> <project root> <data dir>`. It ends at the end of its standard input,
 * which web/serve.ts holds open, so it never outlives serve.ts (even one ended by SIGKILL).
 *
 * @module
 */

import { ISOLATION_HEADERS } from "./app/_threads.ts";
import { contentType, type Mount, resolvePath, runIndex } from "./_static.ts";

/** The request handler for a project root and a data folder. */
export function handler(root: string, dataDir: string): (req: Request) => Promise<Response> {
  const answer = files(root, dataDir);
  return async (req: Request) => {
    const response = await answer(req);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) response.headers.set(name, value);
    return response;
  };
}

/** The answers of the server before the isolation headers are added. */
function files(root: string, dataDir: string): (req: Request) => Promise<Response> {
  const mounts: Mount[] = [
    { prefix: "", dir: `${root}/web` },
    { prefix: "app", dir: `${root}/build/web/app` },
    { prefix: "vendor", dir: `${root}/build/web/vendor` },
    { prefix: "build", dir: `${root}/build` },
    { prefix: "data", dir: dataDir },
    { prefix: "connectomics", dir: `${root}/data/connectomics` },
  ];
  let roots: Promise<string[]> | undefined;
  const realRoots = () => roots ??= Promise.all(mounts.map((m) => Deno.realPath(m.dir).catch(() => m.dir)));
  const notFound = () => new Response("Not found\n", { status: 404 });
  return async (req: Request) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("Method not allowed\n", { status: 405 });
    }
    const url = new URL(req.url);
    if (url.pathname === "/runs.json") {
      return Response.json({ runs: await runIndex(dataDir) }, { headers: { "cache-control": "no-store" } });
    }
    let path = resolvePath(url.pathname, mounts);
    if (path === undefined) return notFound();
    try {
      let info = await Deno.stat(path);
      if (info.isDirectory) {
        path = `${path}/index.html`;
        info = await Deno.stat(path);
      }
      // A symbolic link must not lead out of the mounts.
      const real = await Deno.realPath(path);
      if (!info.isFile || !(await realRoots()).some((r) => real.startsWith(r + "/"))) return notFound();
      const body = req.method === "HEAD" ? null : await Deno.readFile(real);
      return new Response(body, {
        headers: { "content-type": contentType(real), "cache-control": "no-cache" },
      });
    } catch {
      return notFound();
    }
  };
}

if (import.meta.main) {
  const [port, root, dataDir] = Deno.args;
  Deno.serve({
    hostname: "127.0.0.1",
    port: Number(port),
    onListen: ({ port }) => console.log(`FlyStability page: http://127.0.0.1:${port}/ (Ctrl-C to stop)`),
  }, handler(root, dataDir));
  // web/serve.ts holds our standard input open: its end means serve.ts ended (even by SIGKILL).
  for await (const _ of Deno.stdin.readable) { /* nothing is ever written */ }
  Deno.exit(0);
}
