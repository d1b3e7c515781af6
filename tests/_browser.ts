/**
 * Helpers of the browser tests: building the page's scripts, running `web/serve.ts` as users
 * do, serving a static folder, and launching Debian's Chromium through playwright-core.
 *
 * @module
 */

import { type Browser, chromium } from "playwright-core";
import { ROOT, run } from "./_cli.ts";

/** Where the browser tests save their screenshots (git-ignored). */
export const SCREENSHOTS = `${ROOT}tests/output/screenshots`;

/** The Chromium the tests drive (Debian's package; .ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium";

/** Runs a Deno script with arguments; throws with its stderr when it fails. */
export async function deno(...args: string[]): Promise<string> {
  const out = await run(Deno.execPath(), args);
  if (out.code !== 0) throw new Error(`deno ${args.join(" ")} failed: ${out.stderr}`);
  return out.stdout;
}

/** A running page server. */
export interface Server {
  url: string;
  /** Ends `web/serve.ts` with a signal (SIGTERM: as Ctrl-C would) and waits for it. */
  stop(signal?: Deno.Signal): Promise<void>;
}

/** Starts `web/serve.ts --port 0 --data <dataDir>` (with the `web` task's permissions) and waits for its address. */
export async function startServer(dataDir: string): Promise<Server> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-run", "web/serve.ts", "--port", "0", "--data", dataDir],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/http:\/\/127\.0\.0\.1:\d+\//.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The page server exited before printing its address: ${text}`);
    text += value;
  }
  const url = text.match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
  return {
    url,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      await child.status;
      await reader.cancel().catch(() => {});
    },
  };
}

/** Serves a folder as a plain static host would (for the dist/ site), with `headers` on every answer. */
export function serveStatic(
  dir: string,
  headers: Record<string, string> = {},
): { url: string; server: Deno.HttpServer } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("..")) return new Response(null, { status: 404 });
    try {
      const body = await Deno.readFile(`${dir}${path.endsWith("/") ? path + "index.html" : path}`);
      const ext = path.slice(path.lastIndexOf(".") + 1);
      const type =
        { html: "text/html", js: "text/javascript", css: "text/css", wasm: "application/wasm" }[ext] ??
          "application/json";
      return new Response(body, { headers: { ...headers, "content-type": type } });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
  return { url: `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/`, server };
}

/** Launches headless Chromium (playwright gives it a fresh temporary profile each time). */
export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
