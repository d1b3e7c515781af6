/**
 * The web page in a real headless Chromium (Debian's, driven by playwright-core): the server
 * serves nothing outside web/, build/ and data/; the pages load without console errors; the
 * explorer's exponents equal `flybrain spectrum --json` bit for bit; the viewer plots a fixture
 * run of each workflow, compares runs and exports PNG; the static dist/ site works. Screenshots
 * of every view go to tests/output/screenshots/.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { flybrain, ROOT, skipWithout } from "./_cli.ts";
import { deno, launchChromium, SCREENSHOTS, type Server, serveStatic, startServer } from "./_browser.ts";
import { safeSegments } from "../web/_static.ts";
import { parseCsv } from "../web/app/_csv.ts";
import { differingLabels } from "../web/app/_run.ts";

const FIXTURES = `${ROOT}tests/fixtures/runs`;
const RUNS = {
  convergence: "data/logs/lyapu_convergence/tanh_N40_NLE4_g2_Tons0.2_Tsim100_dt0.1/",
  transition: "data/logs/transition_2_chaos/tanh_N30_nSample4_tSim50_dt0.1_tOns0.2_weights/",
  transition60: "data/logs/transition_2_chaos/tanh_N60_nSample4_tSim50_dt0.1_tOns0.2_weights/",
  spectra: "data/logs/transition_2_chaos/tanh_N30_nSample3_tSim50_dt0.1_tOns0.2_weights/",
  training:
    "data/logs/train_rd_model/tanh_Weightstrue_Shiftsfalse_Gainsfalse_N20_lr0.001_NLE3_Epochs4_MSE_g1_Tons0.2_Tsim20_dt0.1/",
};

Deno.test("safeSegments() refuses .., encoded .., dot files, backslashes and NUL", () => {
  deepEqual(safeSegments("/app/viewer.js"), ["app", "viewer.js"]);
  deepEqual(safeSegments("//etc/passwd"), ["etc", "passwd"]);
  for (
    const bad of ["/../x", "/%2e%2e/x", "/a/..%2f..%2fx", "/.git/config", "/a%5c..%5cx", "/a%00", "/%E0%A4%A"]
  ) {
    equal(safeSegments(bad), undefined, bad);
  }
});

Deno.test("parseCsv() reads columns and differingLabels() names the parameters that differ", () => {
  const t = parseCsv("a,b\n1,2\n3,\n");
  deepEqual(Array.from(t.col.a), [1, 3]);
  ok(Number.isNaN(t.col.b[1]));
  deepEqual(
    differingLabels([{ name: "x", options: { n: 30, out: "a" } }, {
      name: "y",
      options: { n: 60, out: "b" },
    }]),
    ["n=30", "n=60"],
  );
});

async function rawGet(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  await conn.write(
    new TextEncoder().encode(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`),
  );
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(4096);
  for (let n; (n = await conn.read(buf)) !== null;) chunks.push(buf.slice(0, n));
  conn.close();
  return new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
  equal(await page.getAttribute("body", "data-ready"), "1", await page.textContent("#status") ?? "");
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

Deno.test({
  name: "the web page works in headless Chromium",
  ignore: skipWithout("chromium"),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
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
    await Deno.mkdir(SCREENSHOTS, { recursive: true });
    let server: Server | undefined;
    let browser: Browser | undefined;
    const errors: string[] = [];
    try {
      server = await startServer(FIXTURES);
      const base = server.url;
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1400, height: 900 },
        acceptDownloads: true,
      });
      context.on("console", (m) => {
        if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
      });
      context.on("weberror", (e) => errors.push(String(e.error())));
      const page = await context.newPage();

      await t.step("the server serves web/, build/ and data/ and nothing outside them", async () => {
        for (
          const [path, type] of [
            ["", "text/html"],
            ["app/viewer.js", "text/javascript"],
            [
              "vendor/uPlot.esm.js",
              "text/javascript",
            ],
            ["build/flybrain.wasm", "application/wasm"],
            [`${RUNS.training}training.csv`, "text/csv"],
          ]
        ) {
          const res = await fetch(base + path);
          equal(res.status, 200, path);
          match(res.headers.get("content-type") ?? "", new RegExp(type));
          await res.body?.cancel();
        }
        for (
          const path of [
            "%2e%2e/deno.json",
            "..%2fdeno.json",
            "data/%2e%2e/%2e%2e/deno.json",
            "/etc/passwd",
            ".gitignore",
          ]
        ) {
          const res = await fetch(base + path);
          equal(res.status, 404, path);
          await res.body?.cancel();
        }
        for (
          const path of ["/../deno.json", "/data/../../deno.json", "/build/../deno.json", "//etc/passwd"]
        ) {
          const head = (await rawGet(base, path)).split("\r\n")[0];
          ok(!head.includes(" 200 "), `${path}: ${head}`);
        }
        const post = await fetch(base + "index.html", { method: "POST" });
        equal(post.status, 405);
        await post.body?.cancel();
        const { runs } = await (await fetch(base + "runs.json")).json();
        deepEqual(runs.map((r: { path: string }) => r.path).sort(), Object.values(RUNS).sort());
      });

      await t.step("the pages load (no console errors are checked at the end)", async () => {
        for (const file of ["index.html", "explorer.html"]) {
          await page.goto(base + file);
          await ready(page);
          await shot(page, `load-${file.replace(".html", "")}`);
        }
      });

      await t.step(
        "the explorer's connectome network gives flybrain connectome + spectrum's exponents bit for bit",
        async () => {
          await page.goto(`${base}explorer.html?roi=AB&g=1&seed=3&nle=4&activation=tanh_pos&tsim=20&sweep=0`);
          await ready(page);
          const web = JSON.parse(await page.textContent("#result-json") ?? "");
          const dir = await Deno.makeTempDir();
          const made = await flybrain(
            "connectome",
            "--roi",
            "AB",
            "--activation",
            "tanh_pos",
            "--out",
            `${dir}/ab.json`,
          );
          equal(made.code, 0, made.stderr);
          const cli = await flybrain(
            ...[
              "spectrum",
              "--network",
              `${dir}/ab.json`,
              "--seed",
              "3",
              "--nle",
              "4",
              "--tsim",
              "20",
              "--json",
            ],
          );
          equal(cli.code, 0, cli.stderr);
          const expected = JSON.parse(cli.stdout);
          equal(web.n, 143);
          deepEqual(web.exponents, expected.exponents);
        },
      );

      await t.step("the explorer's exponents equal flybrain spectrum --json bit for bit", async () => {
        const args = { n: "100", g: "2", seed: "3", nle: "5", activation: "tanh", tsim: "50" };
        await page.goto(`${base}explorer.html?${new URLSearchParams({ ...args, sweep: "3" })}`);
        await ready(page);
        const web = JSON.parse(await page.textContent("#result-json") ?? "");
        const cli = await flybrain(
          "spectrum",
          ...Object.entries(args).flatMap(([k, v]) => [`--${k}`, v]),
          "--json",
        );
        equal(cli.code, 0, cli.stderr);
        const expected = JSON.parse(cli.stdout);
        deepEqual(Object.keys(web), Object.keys(expected));
        for (
          const key of [
            "n",
            "nle",
            "exponents",
            "stderr",
            "kyDimension",
            "kyLowerBound",
            "entropy",
            "steps",
            "qrInterval",
          ]
        ) {
          deepEqual(web[key], expected[key], key);
        }
        equal(await page.locator("#sweep-chart figure").count(), 1);
        equal(await page.locator("#charts figure").count(), 2);
        await shot(page, "explorer");
      });

      await t.step("the explorer stays responsive and cancels a long run", async () => {
        await page.goto(`${base}explorer.html?n=1000&nle=100&tsim=500&sweep=0`);
        await page.waitForFunction("document.getElementById('progress').value > 0");
        const t0 = performance.now();
        equal(await page.evaluate(() => 1 + 1), 2);
        ok(performance.now() - t0 < 1000, "the page answered within a second while computing");
        await page.click("#cancel");
        equal(await page.textContent("#status"), "Cancelled.");
        equal(await page.getAttribute("body", "data-ready"), null);
      });

      const views: [string, string[], string[]][] = [
        ["convergence", [RUNS.convergence], ["convergence", "final-spectrum"]],
        ["transition", [RUNS.transition], ["lambda-max"]],
        ["transition-spectra", [RUNS.spectra], ["lambda-max", "dimension-entropy", "spectra"]],
        ["training", [RUNS.training], ["loss", "lambda-max", "grad-norms", "spectra"]],
        ["compare-transition", [RUNS.transition, RUNS.transition60], ["lambda-max"]],
      ];
      for (const [name, runs, charts] of views) {
        await t.step(`the viewer plots ${name}`, async () => {
          await page.goto(`${base}index.html?${runs.map((r) => `run=${encodeURIComponent(r)}`).join("&")}`);
          await ready(page);
          equal(await page.textContent("#status"), "");
          deepEqual(
            await page.locator("figure.chart").evaluateAll((els) => els.map((e) => e.id)),
            charts.map((c) => `chart-${c}`),
          );
          equal(await page.locator("figure.chart canvas").count(), charts.length);
          ok((await page.textContent(".manifest"))?.includes('"workflow"'));
          if (runs.length > 1) {
            const legend = await page.textContent("#chart-lambda-max .u-legend") ?? "";
            ok(legend.includes("n=30") && legend.includes("n=60"), legend);
          }
          await shot(page, `viewer-${name}`);
        });
      }

      await t.step("every plot exports a PNG", async () => {
        const buttons = page.locator("button.png");
        ok(await buttons.count() >= 1);
        const [download] = await Promise.all([page.waitForEvent("download"), buttons.first().click()]);
        equal(download.suggestedFilename(), "lambda-max.png");
        const path = `${SCREENSHOTS}/export-lambda-max.png`;
        await download.saveAs(path);
        deepEqual([...(await Deno.readFile(path)).slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
      });

      await t.step("the viewer opens a run from files", async () => {
        await page.goto(`${base}index.html`);
        await ready(page);
        const dir = `${FIXTURES}/${RUNS.training.replace("data/", "")}`;
        await page.setInputFiles(
          "#open-files",
          ["manifest.json", "training.csv", "spectra.csv"].map((f) => dir + f),
        );
        await page.waitForSelector("#chart-grad-norms canvas");
        await shot(page, "viewer-opened-files");
      });

      await t.step(
        "deno task web:build writes a static site that works from a plain static host",
        async () => {
          const dist = await Deno.makeTempDir({ prefix: "flybrain-dist-" });
          await deno(
            "run",
            "--allow-read",
            "--allow-write",
            "--allow-run",
            "--allow-env",
            "web/build.ts",
            "--dist",
            dist,
          );
          for (const file of ["index.html", "explorer.html"]) {
            const html = await Deno.readTextFile(`${dist}/${file}`);
            ok(!/(src|href)="\//.test(html), `${file} uses only relative URLs`);
          }
          const { url, server: host } = serveStatic(dist);
          try {
            await page.goto(`${url}explorer.html?n=30&nle=3&tsim=20&seed=1&sweep=2`);
            await ready(page);
            ok(JSON.parse(await page.textContent("#result-json") ?? "").exponents.length === 3);
            await page.goto(`${url}index.html`);
            await ready(page);
            match(await page.textContent("#status") ?? "", /open a run's files/);
            await page.setInputFiles(
              "#open-files",
              ["manifest.json", "lambda_max.csv", "summary.csv", "spectra.csv"].map((f) =>
                `${FIXTURES}/${RUNS.spectra.replace("data/", "")}${f}`
              ),
            );
            await page.waitForSelector("#chart-spectra canvas");
            await shot(page, "dist-viewer-opened-files");
          } finally {
            await host.shutdown();
            await Deno.remove(dist, { recursive: true });
          }
        },
      );

      await t.step("no page logged an error", () => {
        deepEqual(errors, []);
      });
    } finally {
      await browser?.close();
      await server?.stop();
    }
  },
});
