/**
 * The library's browser entry (src/mod.ts) stays browser-safe: bundled for the browser with
 * everything it imports (npm packages included), it uses no `Deno.` API and no Node module; the
 * page's scripts (web/app/) import the library only through it, and the server's (web/) only
 * through the entries.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { ROOT } from "./_cli.ts";

Deno.test("src/mod.ts bundled for the browser uses no Deno API and no Node module", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["bundle", "--quiet", "--platform", "browser", "-o", `${dir}/mod.js`, `${ROOT}src/mod.ts`],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const js = await Deno.readTextFile(`${dir}/mod.js`);
    ok(js.includes("lyapunovSpectrum"), "the bundle holds the library");
    deepEqual(js.match(/\bDeno\s*\.\s*[A-Za-z]+/g) ?? [], [], "no Deno API in the browser entry's graph");
    deepEqual(js.match(/["'](node:[a-z_/]+)["']/g) ?? [], [], "no Node module in the browser entry's graph");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the page's scripts import the library only through src/mod.ts, the server through an entry", async () => {
  const offending: string[] = [];
  const allowed = { "web/app": /^\.\.\/\.\.\/src\/mod\.ts$/, "web": /^\.\.\/src\/(mod|deno)\.ts$/ };
  for (const [sub, ok] of Object.entries(allowed)) {
    for await (const e of Deno.readDir(`${ROOT}${sub}`)) {
      if (!e.isFile || !e.name.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(`${ROOT}${sub}/${e.name}`);
      for (const [, spec] of text.matchAll(/from\s+"([^"]*\/src\/[^"]*)"/g)) {
        if (!ok.test(spec)) offending.push(`${sub}/${e.name}: ${spec}`);
      }
    }
  }
  deepEqual(offending, []);
});
