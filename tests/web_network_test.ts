/**
 * The explorer takes the user's own network: a file opened in the page (or dropped on it) is
 * parsed in the browser by the library's readers and its spectrum equals `flybrain spectrum
 * --network FILE --json` bit for bit, for each format; a malformed file is one line in the page.
 */

import { deepEqual, equal, match } from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { zipSync } from "fflate";
import { npyBytes, randomNetwork } from "../src/mod.ts";
import { flybrain, ROOT, skipWithout } from "./_cli.ts";
import { deno, launchChromium, type Server, startServer } from "./_browser.ts";

async function ready(page: Page): Promise<string> {
  await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
  return await page.getAttribute("body", "data-ready") ?? "";
}

Deno.test({
  name: "the explorer computes the spectrum of an opened .npy/.npz/JSON/CSV network, equal to the CLI's",
  ignore: skipWithout("chromium"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await deno(
      "run",
      "--allow-read",
      "--allow-write=build",
      "--allow-run",
      "--allow-env",
      "web/build.ts",
      "--out",
      "build/web",
    );
    const dir = await Deno.makeTempDir();
    const net = randomNetwork({ n: 24, g: 2, seed: 5 });
    const gains = Float64Array.from({ length: 24 }, (_, i) => 1 + (i % 3) / 4);
    const files: Record<string, Uint8Array> = {
      "W.npy": npyBytes(net.weights, [24, 24]),
      "net.npz": zipSync({ "W.npy": npyBytes(net.weights, [24, 24]), "gains.npy": npyBytes(gains, [24]) }),
      "net.json": new TextEncoder().encode(
        JSON.stringify({
          n: 24,
          activation: "tanh_pos",
          weights: Array.from(net.weights),
          options: { tsim: 30 },
        }),
      ),
      "edges.csv": new TextEncoder().encode(
        "pre,post,weight\n" + [...net.weights.entries()].filter(([, w]) => w !== 0)
          .map(([k, w]) => `n${k % 24},n${Math.floor(k / 24)},${w}`).join("\n") +
          "\n",
      ),
      "bad.npy": npyBytes(new Float64Array(6), [2, 3]),
    };
    for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${dir}/${name}`, bytes);
    let server: Server | undefined;
    let browser: Browser | undefined;
    try {
      server = await startServer(`${ROOT}tests/fixtures/runs`);
      browser = await launchChromium();
      const page = await browser.newPage();
      const form = { nle: "4", tsim: "20", seed: "7", sweep: "2", activation: "tanh_pos" };
      for (const name of ["W.npy", "net.npz", "net.json", "edges.csv"]) {
        await page.goto(`${server.url}explorer.html`);
        await ready(page);
        for (const [field, value] of Object.entries(form)) {
          if (field === "activation") await page.selectOption("#in-activation", value);
          else await page.fill(`#in-${field}`, value);
        }
        await page.setInputFiles("#in-file", `${dir}/${name}`);
        equal(await ready(page), "1", `${name}: ${await page.textContent("#status")}`);
        const web = JSON.parse(await page.textContent("#result-json") ?? "");
        const cli = await flybrain(
          "spectrum",
          ...[
            "--network",
            `${dir}/${name}`,
            "--nle",
            "4",
            "--tsim",
            "20",
            "--seed",
            "7",
            "--activation",
            "tanh_pos",
          ],
          "--json",
        );
        equal(cli.code, 0, cli.stderr);
        const expected = JSON.parse(cli.stdout);
        for (const key of ["n", "nle", "exponents", "stderr", "kyDimension", "entropy", "steps"]) {
          deepEqual(web[key], expected[key], `${name}: ${key}`);
        }
        equal(await page.locator("#sweep-chart figure").count(), 1, name);
        if (name !== "W.npy") continue;
        // The same file dropped on the page gives the same numbers.
        await page.evaluate(`{
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(${
          JSON.stringify(Array.from(files["W.npy"]))
        })], "dropped.npy"));
          document.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }`);
        equal(await ready(page), "1", await page.textContent("#status") ?? "");
        equal(await page.textContent("#file-name"), "dropped.npy (n=24)");
        deepEqual(JSON.parse(await page.textContent("#result-json") ?? "").exponents, expected.exponents);
      }
      await page.goto(`${server.url}explorer.html`);
      await ready(page);
      await page.setInputFiles("#in-file", `${dir}/bad.npy`);
      equal(await ready(page), "error");
      match(
        await page.textContent("#status") ?? "",
        /^Cannot open bad\.npy: bad\.npy: W must be a square matrix/,
      );
    } finally {
      await browser?.close();
      await server?.stop();
    }
  },
});
