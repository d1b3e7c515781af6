/// <reference lib="dom" />
/**
 * The web page in a real headless Chromium (Debian's, driven by playwright-core): the server
 * serves nothing outside web/, build/ and data/; the pages load without console errors; the
 * explorer's exponents equal `flybrain spectrum --json` bit for bit; the viewer plots a fixture
 * run of each workflow legibly (legends, error bars, bands, integer and log ticks, nothing clipped
 * at 1280 and 1920 px), compares runs and exports SVG, PNG and CSV; the explorer names every bad
 * URL field; the static dist/ site works; a network file opened or dropped on the explorer gives
 * `flybrain spectrum --network`'s exponents; the page is cross-origin isolated where its server
 * sends the headers, and the explorer then computes with threads (one without them), with the
 * same bits; Cancel and a failing thread end a threaded run and its Workers within a second; with
 * `vectors=1` the explorer's covariant vectors equal `flybrain vectors --json`, and beyond 500
 * neurons they are refused. Screenshots of every view at both widths go to tests/output/screenshots/.
 */

import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { zipSync } from "fflate";
import { npyBytes, randomNetwork } from "../../src/mod.ts";
import { flybrain, ROOT, skipWithout } from "../_cli.ts";
import { deno, launchChromium, SCREENSHOTS, type Server, serveStatic, startServer } from "../_browser.ts";
import {
  CONVERGENCE_SPECTRUM_TABLE,
  readTable,
  readTableRows,
  VECTORS_TYPE_SHARES_TABLE,
} from "../../src/mod.ts";
import { sequentialAt } from "../../web/app/_colors.ts";
import { explorerThreads, ISOLATION_HEADERS } from "../../web/app/_threads.ts";

const FIXTURES = `${ROOT}tests/fixtures/runs`;
const RUNS = {
  convergence: "data/logs/lyapu_convergence/tanh_N40_NLE4_g2_Tons0.2_Tsim100_dt0.1/",
  transition: "data/logs/transition_2_chaos/tanh_N30_nSample4_tSim50_dt0.1_tOns0.2_weights/",
  transition60: "data/logs/transition_2_chaos/tanh_N60_nSample4_tSim50_dt0.1_tOns0.2_weights/",
  spectra: "data/logs/transition_2_chaos/tanh_N30_nSample3_tSim50_dt0.1_tOns0.2_weights/",
  training:
    "data/logs/train_rd_model/tanh_Weightstrue_Shiftsfalse_Gainsfalse_N20_lr0.001_NLE3_Epochs4_MSE_g1_Tons0.2_Tsim20_dt0.1/",
  vectors: "data/logs/vectors/tanh_N60_NLE6_Tons0.2_Tsim20_samples21/",
  /** The EB connectome with its 10 cell-body-fiber types (flybrain connectome --subpopulation cell_fibers). */
  vectorsTypes: "data/logs/vectors/tanh_pos_N429_NLE8_Tons0.2_Tsim20_samples21/",
};

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

/** The explorer's result, `#result-json`. */
async function resultJson(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(await page.textContent("#result-json") ?? "");
}

/** `flybrain <command> --json` with these options (and more arguments). */
async function cliJson(
  command: string,
  options: Record<string, string>,
  ...more: string[]
): Promise<Record<string, unknown>> {
  const cli = await flybrain(
    command,
    ...Object.entries(options).flatMap(([k, v]) => [`--${k}`, v]),
    ...more,
    "--json",
  );
  equal(cli.code, 0, cli.stderr);
  return JSON.parse(cli.stdout);
}

/** `flybrain spectrum --json` with these options (and more arguments). */
function cliSpectrum(options: Record<string, string>, ...more: string[]): Promise<Record<string, unknown>> {
  return cliJson("spectrum", options, ...more);
}

/** Fails unless two spectrum results agree to the bit on every field but the compute time and the threads. */
function sameNumbers(web: Record<string, unknown>, cli: Record<string, unknown>, what: string): void {
  const { seconds: _a, threads: _b, ...numbers } = web;
  const { seconds: _c, threads: _d, ...expected } = cli;
  deepEqual(numbers, expected, what);
}

/** Waits until the page runs no Worker (nested ones included); fails after `ms` milliseconds. */
async function noWorkersWithin(page: Page, ms: number, what: string): Promise<void> {
  const t0 = performance.now();
  while (page.workers().length > 0) {
    const urls = page.workers().map((w) => w.url()).join(", ");
    ok(performance.now() - t0 < ms, `${what}: ${urls} still running after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** What the tests read from a chart's exported SVG (parsed by the page's DOMParser). */
interface ExportedSvg {
  text: string;
  parseError: boolean;
  images: number;
  title: string;
  axisLabels: string[];
  xTicks: string[];
  yTicks: string[];
  legend: string[];
  errorBars: number;
  /** Distinct x positions of the error bars. */
  errorBarColumns: number;
  bands: number;
  thinPaths: number;
  boldPaths: number;
  /** The x axis label sits above the legend (they do not overlap). */
  xLabelAboveLegend: boolean;
}

/** The legend entries of a chart as the page shows them. */
async function legendOf(
  page: Page,
  chart: string,
): Promise<{ label: string; color: string; glyph: string; weight: string }[]> {
  return await page.locator(`#chart-${chart} ul.legend li`).evaluateAll((els) =>
    els.map((e) => ({
      label: e.textContent ?? "",
      color: (e as HTMLElement).dataset.color ?? "",
      glyph: (e as HTMLElement).dataset.glyph ?? "",
      weight: (e as HTMLElement).dataset.weight ?? "",
    }))
  );
}

/** Clicks a chart's SVG button and parses the downloaded file in the page with DOMParser. */
async function exportSvg(page: Page, chart: string): Promise<ExportedSvg> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click(`#chart-${chart} button.svg`),
  ]);
  equal(download.suggestedFilename(), `${chart}.svg`);
  const text = await Deno.readTextFile(await download.path());
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const all = (sel: string) => [...doc.querySelectorAll(sel)];
    const texts = (sel: string) => all(sel).map((e) => e.textContent ?? "");
    const paths = all("path:not(.error-bar)");
    return {
      parseError: doc.querySelector("parsererror") !== null,
      images: all("image, foreignObject").length,
      title: texts("text.title").join(" "),
      axisLabels: texts("text.axis-label"),
      xTicks: texts("text.tick-x"),
      yTicks: texts("text.tick-y"),
      legend: texts(".legend-entry text"),
      errorBars: all("path.error-bar").length,
      errorBarColumns: new Set(
        all("path.error-bar").map((p) => /^M([-\d.]+),/.exec(p.getAttribute("d")!)![1]),
      ).size,
      bands: all("polygon.band").length,
      thinPaths: paths.filter((p) => p.getAttribute("stroke-width") === "1").length,
      boldPaths: paths.filter((p) => p.getAttribute("stroke-width") === "2.5").length,
      xLabelAboveLegend: (() => {
        // The x label's y is inside the plot group, translated by the title's height.
        const label = doc.querySelector("text.axis-label")!;
        const shift = Number(
          /translate\(0,([\d.]+)\)/.exec(label.parentElement!.getAttribute("transform")!)![1],
        );
        const legendYs = all(".legend-entry text").map((e) => Number(e.getAttribute("y")));
        return legendYs.every((y) => Number(label.getAttribute("y")) + shift + 4 < y - 10);
      })(),
    };
  }, text);
  equal(parsed.parseError, false, `${chart}.svg does not parse`);
  ok(parsed.xLabelAboveLegend, `${chart}.svg: the x axis label runs into the legend`);
  return { text, ...parsed };
}

/**
 * Fails when the page scrolls sideways or a chart, its title, its legend or the manifest table sticks out,
 * once the charts have followed a change of the window's width (they redraw on the next frames: the check
 * is repeated for up to 5 s before it fails).
 */
async function assertNothingClipped(page: Page, width: number): Promise<void> {
  let problems = await clipped(page, width);
  for (let i = 0; i < 50 && problems.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    problems = await clipped(page, width);
  }
  deepEqual(problems, [], `at ${width} px`);
}

/** What sticks out of a page `width` px wide (empty: nothing). */
function clipped(page: Page, width: number): Promise<string[]> {
  return page.evaluate((width) => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
    }
    for (
      const el of document.querySelectorAll<HTMLElement>(
        "#title, figure.chart, figcaption, ul.legend, .manifest-table",
      )
    ) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5) out.push(`${el.id || el.className} ends at ${r.right} px`);
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.id || el.className} overflows`);
    }
    return out;
  }, width);
}

/** What the browser tests share: the page built once, one server of the fixture runs, one Chromium. */
interface Session {
  base: string;
  server: Server;
  browser: Browser;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of every page (checked by the last test). */
  errors: string[];
}

let session: Promise<Session> | undefined;

async function startSession(): Promise<Session> {
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
  const server = await startServer(FIXTURES);
  const browser = await launchChromium().catch(async (e) => {
    await server.stop();
    throw e;
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const errors: string[] = [];
  context.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
  });
  context.on("weberror", (e) => errors.push(String(e.error())));
  return { base: server.url, server, browser, context, errors };
}

const NO_CHROMIUM = skipWithout("chromium");

/**
 * A browser test: a fresh page of the shared session (started by the first test that runs). The
 * session outlives each test, so the resource sanitizers are off; the last test closes it.
 */
function browserTest(name: string, fn: (page: Page, base: string) => Promise<void>): void {
  Deno.test({
    name,
    ignore: NO_CHROMIUM,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const { context, base } = await (session ??= startSession());
      const page = await context.newPage();
      try {
        await fn(page, base);
      } finally {
        await page.close();
      }
    },
  });
}

Deno.test("the sandboxed page server ends with web/serve.ts, even when serve.ts is killed (SIGKILL)", async () => {
  const server = await startServer(FIXTURES);
  equal((await fetch(server.url)).status, 200);
  await server.stop("SIGKILL");
  // serve.ts cannot pass a SIGKILL on; its child sees its standard input end and stops serving.
  const t0 = performance.now();
  for (;;) {
    const answer = await fetch(server.url).then((r) => r.body?.cancel(), () => "refused");
    if (answer === "refused") break;
    ok(performance.now() - t0 < 2000, "the server still answers 2 s after serve.ts was killed");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

browserTest("the server serves web/, build/ and data/ and nothing outside them", async (_page, base) => {
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
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) equal(res.headers.get(name), value, path);
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

browserTest("the pages load (no console errors are checked at the end)", async (page, base) => {
  for (const file of ["index.html", "explorer.html"]) {
    await page.goto(base + file);
    await ready(page);
    await shot(page, `load-${file.replace(".html", "")}`);
  }
});

browserTest(
  "the explorer's connectome network gives flybrain connectome + spectrum's exponents bit for bit",
  async (page, base) => {
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
    const expected = await cliJson("spectrum", {
      network: `${dir}/ab.json`,
      seed: "3",
      nle: "4",
      tsim: "20",
    });
    equal(web.n, 143);
    deepEqual(web.exponents, expected.exponents);
  },
);

browserTest("the explorer's exponents equal flybrain spectrum --json bit for bit", async (page, base) => {
  const args = { n: "100", g: "2", seed: "3", nle: "5", activation: "tanh", tsim: "50" };
  await page.goto(`${base}explorer.html?${new URLSearchParams({ ...args, sweep: "3" })}`);
  await ready(page);
  const web = JSON.parse(await page.textContent("#result-json") ?? "");
  const expected = await cliJson("spectrum", args);
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
  equal((await exportSvg(page, "spectrum")).errorBars, 5, "one error bar per exponent");
  for (const width of [1280, 1920]) {
    await page.setViewportSize({ width, height: 900 });
    await assertNothingClipped(page, width);
    await shot(page, `explorer-${width}`);
  }
});

browserTest(
  "the explorer names every invalid URL field at once and keeps the valid ones",
  async (page, base) => {
    await page.goto(`${base}explorer.html?n=-5&g=abc&nle=999&activation=relu&tsim=-1&seed=7`);
    await page.waitForSelector("body[data-ready]");
    equal(await page.getAttribute("body", "data-ready"), "error");
    const status = await page.textContent("#status") ?? "";
    for (const name of ["n must", "g must", "nle must", "activation", "tsim must"]) {
      ok(status.includes(name), `"${name}" is not named in: ${status}`);
    }
    const fields = await page.locator("form input, form select").evaluateAll((els) =>
      Object.fromEntries(
        els.map((e) => [e.id.slice(3), [(e as HTMLInputElement).value, e.classList.contains("invalid")]]),
      )
    );
    deepEqual(fields.seed, ["7", false]);
    deepEqual(fields.n, ["100", true]);
    deepEqual(fields.g, ["1.5", true]);
    deepEqual(fields.nle, ["10", true]);
    deepEqual(fields.activation, ["tanh", true]);
    deepEqual(fields.tsim, ["200", true]);
    deepEqual(fields.gmax, ["3", false]);
    equal(await page.locator("#charts figure").count(), 0);
    await shot(page, "explorer-invalid-url");
  },
);

browserTest(
  "the explorer computes with threads where the page is cross-origin isolated, with flybrain spectrum's bits",
  async (page, base) => {
    const args = { n: "100", g: "2", seed: "3", nle: "5", activation: "tanh", tsim: "50" };
    await page.goto(`${base}explorer.html?${new URLSearchParams({ ...args, sweep: "0", threads: "2" })}`);
    await ready(page);
    ok(await page.evaluate(() => crossOriginIsolated), "deno task web makes the page cross-origin isolated");
    const web = await resultJson(page);
    equal(web.threads, 2);
    match(await page.textContent("#threads-note") ?? "", /^Threads: 2 \(2 asked; \d+ cores\)\.$/);
    const cli = await cliSpectrum(args, "--threads", "2");
    equal(cli.threads, 2);
    sameNumbers(web, cli, "2 threads, page and command line");
    sameNumbers(
      web,
      await cliSpectrum(args, "--threads", "1"),
      "2 threads in the page, 1 in the command line",
    );
    await noWorkersWithin(page, 1000, "after the run");
    // threads=auto (the default): the command line's rule, every core from n = 1000.
    const large = { n: "1000", g: "2", seed: "1", nle: "2", activation: "tanh", tsim: "2" };
    await page.goto(`${base}explorer.html?${new URLSearchParams({ ...large, sweep: "0" })}`);
    await ready(page);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const auto = await resultJson(page);
    equal(auto.threads, explorerThreads("auto", 1000, 2, { isolated: true, cores }));
    equal(auto.threads, Math.min(cores, 64));
    const cliAuto = await cliSpectrum(large);
    equal(cliAuto.threads, auto.threads, "the command line's auto");
    sameNumbers(auto, cliAuto, "auto threads, page and command line");
  },
);

browserTest(
  "Cancel ends a threaded run and its Workers within a second; the page stays responsive and usable",
  async (page, base) => {
    await page.goto(`${base}explorer.html?n=1000&nle=100&tsim=500&sweep=0&threads=2`);
    // Playwright learns of a (nested) Worker from an event that may come after the first progress.
    await page.waitForFunction("document.getElementById('progress').value > 0");
    const seen = performance.now();
    while (page.workers().length < 2 && performance.now() - seen < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Both started by the page: a Worker that owns Workers at times never ends in Chromium.
    equal(page.workers().length, 2, "the explorer's Worker and the team's second thread");
    const t0 = performance.now();
    equal(await page.evaluate(() => 1 + 1), 2);
    ok(performance.now() - t0 < 1000, "the page answered within a second while computing");
    await page.click("#cancel");
    await noWorkersWithin(page, 1000, "after Cancel");
    equal(await page.textContent("#status"), "Cancelled.");
    equal(await page.getAttribute("body", "data-ready"), null);
    for (const [field, value] of Object.entries({ n: "30", nle: "3", tsim: "20", sweep: "0" })) {
      await page.fill(`#in-${field}`, value);
    }
    await page.click("#run");
    await ready(page);
    const web = await resultJson(page);
    equal(web.threads, 2);
    sameNumbers(web, await cliSpectrum({ n: "30", nle: "3", tsim: "20" }), "a run after Cancel");
  },
);

browserTest(
  "the explorer's covariant vectors (vectors=1) equal flybrain vectors --json bit for bit, plotted as the viewer's",
  async (page, base) => {
    // g = 2, seed 3: two of six vectors are unstable, so the angle distribution exists. Two threads
    // in the page, one in the command line: the same bits.
    const args = { n: "100", g: "2", seed: "3", nle: "6", activation: "tanh", tsim: "50" };
    const more = { sweep: "0", vectors: "1", threads: "2" };
    await page.goto(`${base}explorer.html?${new URLSearchParams({ ...args, ...more })}`);
    await ready(page);
    equal(await page.isChecked("#in-vectors"), true);
    const web = (await resultJson(page)) as {
      threads: number;
      exponents: number[];
      vectors: Record<string, unknown>;
    };
    equal(web.threads, 2);
    const expected = await cliJson("vectors", args, "--threads", "1");
    equal(expected.threads, 1);
    equal((expected.angles as { unstable: number }).unstable, 2);
    ok((web.vectors.seconds as number) > 0);
    equal(web.vectors.threads, 2);
    deepEqual({ ...web.vectors, seconds: 0, threads: 0 }, { ...expected, seconds: 0, threads: 0 });
    deepEqual(Object.keys(web.vectors), Object.keys(expected));
    // The spectrum's fields are still those of flybrain spectrum (its exponents: the vectors' QR ones).
    deepEqual(web.exponents, expected.exponents);
    deepEqual(
      await page.locator("#vectors-charts figure").evaluateAll((els) => els.map((e) => e.id)),
      ["chart-clv-exponents", "chart-participation", "chart-angles", "chart-ftle"],
    );
    const participation = await exportSvg(page, "participation");
    deepEqual(participation.axisLabels.slice(0, 1), ["i/N"]);
    equal(participation.errorBars, 6, "one error bar per vector");
    match(await page.textContent("#vectors-summary") ?? "", /2 of 6 unstable/);
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await assertNothingClipped(page, width);
      await shot(page, `explorer-vectors-${width}`);
    }
  },
);

browserTest(
  "the explorer refuses vectors beyond 500 neurons: a named field error, or the Worker's",
  async (page, base) => {
    await page.goto(`${base}explorer.html?n=501&vectors=1&nle=5`);
    await page.waitForSelector("body[data-ready]");
    equal(await page.getAttribute("body", "data-ready"), "error");
    match(await page.textContent("#status") ?? "", /vectors need n <= 500, got n=501/);
    equal(await page.isChecked("#in-vectors"), false);
    equal(await page.getAttribute("#in-vectors", "aria-invalid"), "true");
    equal(await page.getAttribute("#in-n", "aria-invalid"), null);
    equal(await page.inputValue("#in-n"), "501");
    equal(await page.textContent("#result-json"), "");
    await shot(page, "explorer-vectors-too-large");
    // A connectome's n is known once built: the Worker refuses PB (655 neurons) before computing.
    await page.goto(`${base}explorer.html?roi=PB&vectors=1&nle=3&tsim=5&sweep=0`);
    await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
    equal(await page.getAttribute("body", "data-ready"), "error");
    equal(await page.textContent("#status"), "The computation failed: vectors need n <= 500, got n=655");
  },
);

browserTest("the explorer cancels a run while it computes the covariant vectors", async (page, base) => {
  await page.goto(`${base}explorer.html?n=200&g=2&nle=20&tsim=300&sweep=0&vectors=1`);
  await page.waitForFunction(
    "document.getElementById('phase').textContent.startsWith('covariant vectors')",
    null,
    {
      timeout: 60_000,
    },
  );
  await page.click("#cancel");
  equal(await page.textContent("#status"), "Cancelled.");
  equal(await page.getAttribute("body", "data-ready"), null);
  equal(await page.locator("#vectors-charts figure").count(), 0);
  equal(JSON.parse(await page.textContent("#result-json") ?? "").vectors, undefined);
});

/** Views: name, runs, the uPlot charts, and the heat maps drawn after them. */
const views: [string, string[], string[], string[]][] = [
  ["convergence", [RUNS.convergence], ["convergence", "final-spectrum"], []],
  ["transition", [RUNS.transition], ["lambda-max"], []],
  ["transition-spectra", [RUNS.spectra], ["lambda-max", "dimension-entropy", "spectra"], []],
  ["training", [RUNS.training], ["loss", "lambda-max", "grad-norms", "spectra"], []],
  ["compare-transition", [RUNS.transition, RUNS.transition60], ["lambda-max"], []],
  ["vectors", [RUNS.vectors], ["clv-exponents", "participation", "angles", "ftle"], []],
  ["vectors-types", [RUNS.vectorsTypes], ["clv-exponents", "participation", "ftle"], ["type-shares"]],
];

/** Opens the viewer on runs and waits until it has drawn them. */
async function view(page: Page, base: string, runs: string[]): Promise<void> {
  await page.goto(`${base}index.html?${runs.map((r) => `run=${encodeURIComponent(r)}`).join("&")}`);
  await ready(page);
}

/** Opens the viewer on runs and exports one chart's SVG. */
async function svgOf(page: Page, base: string, runs: string[], chart: string): Promise<ExportedSvg> {
  await view(page, base, runs);
  return await exportSvg(page, chart);
}

for (const [name, runs, charts, heatmaps] of views) {
  browserTest(`the viewer plots ${name} legibly at 1280 and 1920 px`, async (page, base) => {
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await view(page, base, runs);
      equal(await page.textContent("#status"), "");
      deepEqual(
        await page.locator("figure.chart").evaluateAll((els) => els.map((e) => e.id)),
        [...charts, ...heatmaps].map((c) => `chart-${c}`),
      );
      equal(await page.locator("figure.chart svg.heatmap").count(), heatmaps.length);
      equal(await page.locator("figure.chart canvas").count(), charts.length);
      ok((await page.textContent(".manifest"))?.includes('"workflow"'));
      match(await page.textContent(".manifest-table") ?? "", /command\s*flybrain /);
      await assertNothingClipped(page, width);
      await shot(page, `viewer-${name}-${width}`);
    }
    for (const chart of charts) {
      const legend = await legendOf(page, chart);
      ok(legend.length > 0, `${chart}: the legend is empty`);
      ok(!legend.some((e) => e.label === "0"), `${chart}: the zero line is in the legend`);
      const keys = legend.map((e) => `${e.color} ${e.glyph} ${e.weight}`);
      equal(new Set(keys).size, keys.length, `${chart}: two entries look alike: ${JSON.stringify(legend)}`);
      ok(
        legend.every((e) => !/\d\.\d{5,}/.test(e.label)),
        `${chart}: long numbers in ${JSON.stringify(legend)}`,
      );
      const svg = await exportSvg(page, chart);
      deepEqual(svg.legend, legend.map((e) => e.label), `${chart}: the SVG's legend`);
      for (const label of svg.axisLabels) {
        ok(/\(.+\)|^g$|^i\/N$|^epoch$|^exponent index i$/.test(label), `${chart}: "${label}" has no unit`);
      }
      for (const ticks of chart === "grad-norms" ? [svg.xTicks] : [svg.xTicks, svg.yTicks]) {
        const steps = ticks.map(Number).slice(1).map((v, k) => v - Number(ticks[k]));
        ok(
          steps.every((d) => Math.abs(d - steps[0]) <= 1e-9 * Math.abs(steps[0])),
          `${chart}: tick labels not evenly spaced (rounded?): ${ticks}`,
        );
      }
    }
    if (runs.length > 1) {
      const labels = (await legendOf(page, "lambda-max")).map((e) => e.label).join(" ");
      ok(labels.includes("n=30") && labels.includes("n=60"), labels);
    }
  });
}

browserTest("spectra have one colour per g, samples light, the median bold", async (page, base) => {
  const svg = await svgOf(page, base, [RUNS.spectra], "spectra");
  const legend = await legendOf(page, "spectra");
  deepEqual(legend.map((e) => e.label), ["g=0.5", "g=1.13", "g=1.75", "g=2.38", "g=3"]);
  equal(new Set(legend.map((e) => e.color)).size, 5);
  equal(svg.thinPaths, 15, "one light line per network and g");
  equal(svg.boldPaths, 5, "one bold median per g");
});

browserTest("error bars and interquartile bands are drawn where the run has them", async (page, base) => {
  const finals = await svgOf(page, base, [RUNS.convergence], "final-spectrum");
  equal(finals.errorBars, 8, "2 samples × 4 exponents with stderr");
  equal(finals.errorBarColumns, 8, "the samples' bars side by side");
  equal(
    (await svgOf(page, base, [RUNS.training], "spectra")).errorBars,
    0,
    "training spectra have no stderr",
  );
  ok((await svgOf(page, base, [RUNS.transition], "lambda-max")).bands >= 1, "λ_max has a band");
  ok((await svgOf(page, base, [RUNS.spectra], "dimension-entropy")).bands >= 1, "D/N, H/N have bands");
  equal(
    (await svgOf(page, base, [RUNS.transition, RUNS.transition60], "lambda-max")).bands,
    2,
    "one per run",
  );
});

browserTest(
  "a vectors run has error bars on its exponents and participation ratios, a band on its finite-time exponents",
  async (page, base) => {
    equal(
      (await svgOf(page, base, [RUNS.vectors], "clv-exponents")).errorBars,
      12,
      "QR and CLV × 6 exponents",
    );
    equal((await exportSvg(page, "participation")).errorBars, 6);
    const ftle = await exportSvg(page, "ftle");
    equal(ftle.errorBars, 6, "± std of 6 exponents");
    equal(ftle.bands, 1, "5–95 % quantiles");
    const angles = await exportSvg(page, "angles");
    equal(angles.errorBars, 0);
    ok(angles.yTicks.every((v) => Number(v) >= 0 && Number(v) <= 1), `a CDF: ${angles.yTicks}`);
  },
);

browserTest(
  "a vectors run with cell types shows a heat map: a cell per type and vector, coloured and titled by its share in type_shares.csv",
  async (page, base) => {
    const dir = `${FIXTURES}/${RUNS.vectorsTypes.replace("data/", "")}`;
    const rows = readTableRows(VECTORS_TYPE_SHARES_TABLE, await Deno.readTextFile(`${dir}type_shares.csv`))
      .filter((r) => r.group === "type");
    const max = Math.max(...rows.map((r) => Number(r.share)));
    await view(page, base, [RUNS.vectorsTypes]);
    const cells = await page.locator("#chart-type-shares svg.heatmap rect.cell").evaluateAll((els) =>
      els.map((e) => ({
        key: `${e.getAttribute("data-row")} ${e.getAttribute("data-column")}`,
        value: e.getAttribute("data-value"),
        fill: e.getAttribute("fill"),
        title: e.querySelector("title")?.textContent ?? "",
      }))
    );
    equal(rows.length, 10 * 8, "10 cell types × 8 vectors in the CSV");
    equal(cells.length, rows.length, "one cell per type and vector");
    const byKey = new Map(cells.map((c) => [c.key, c]));
    equal(byKey.size, cells.length);
    for (const r of rows) {
      const cell = byKey.get(`${r.name} ${r.i}`);
      ok(cell, `no cell for ${r.name}, vector ${r.i}`);
      equal(cell.value, r.share);
      equal(cell.fill, sequentialAt(Number(r.share) / max), `${r.name}, vector ${r.i}`);
      equal(
        cell.title,
        `${r.name}, exponent index i ${r.i}: share ${Number(Number(r.share).toPrecision(4))}`,
      );
    }
    ok(new Set(cells.map((c) => c.fill)).size > 10, "the colours tell the shares apart");
    const texts = (sel: string) =>
      page.locator(`#chart-type-shares svg.heatmap ${sel}`).evaluateAll((els) =>
        els.map((e) => e.textContent)
      );
    deepEqual(await texts("text.axis-label"), ["exponent index i", "cell type"]);
    deepEqual(await texts("text.tick-x"), ["1", "2", "3", "4", "5", "6", "7", "8"]);
    deepEqual(await texts("text.tick-y"), [...new Set(rows.map((r) => r.name))]);
    deepEqual(await texts(".color-scale text.scale-label"), ["share"]);
    deepEqual(await texts(".color-scale text.scale-tick"), [
      "0",
      String(Number((max / 2).toPrecision(2))),
      String(Number(max.toPrecision(2))),
    ]);
    // The export: the same cells, with the title, as a vector SVG; the CSV has one line per cell.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("#chart-type-shares button.svg"),
    ]);
    equal(download.suggestedFilename(), "type-shares.svg");
    const svg = await Deno.readTextFile(await download.path());
    await Deno.writeTextFile(`${SCREENSHOTS}/export-type-shares.svg`, svg);
    const exported = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return {
        parseError: doc.querySelector("parsererror") !== null,
        cells: doc.querySelectorAll("rect.cell").length,
        title: [...doc.querySelectorAll("text.title")].map((e) => e.textContent).join(" "),
      };
    }, svg);
    deepEqual(exported, {
      parseError: false,
      cells: 80,
      title: "Share of each covariant vector's squared weight per cell type (time average)",
    });
    await page.click("#chart-type-shares button.csv");
    const csv = (await page.evaluate(() => navigator.clipboard.readText())).trim().split("\n");
    equal(csv[0], "cell type,exponent index i,share");
    equal(csv.length, 1 + 80);
    ok(csv.includes(`${rows[0].name},${rows[0].i},${rows[0].share}`), csv.slice(0, 3).join(" "));
    // A run of a network without types has no heat map.
    await view(page, base, [RUNS.vectors]);
    equal(await page.locator("#chart-type-shares").count(), 0);
  },
);

browserTest("index axes have integer ticks, the log axis only positive ones", async (page, base) => {
  for (const [runs, chart] of [[[RUNS.convergence], "final-spectrum"], [[RUNS.training], "loss"]] as const) {
    const ticks = (await svgOf(page, base, [...runs], chart)).xTicks;
    ok(ticks.length >= 2 && ticks.every((v) => /^-?\d+$/.test(v)), `${chart}: ${ticks}`);
  }
  const spectra = (await exportSvg(page, "spectra")).xTicks;
  ok(spectra.length >= 2 && spectra.every((v) => /^-?\d+$/.test(v)), `training spectra: ${spectra}`);
  const log = (await exportSvg(page, "grad-norms")).yTicks;
  ok(log.length >= 2 && log.every((v) => Number(v) > 0), `log ticks: ${log}`);
});

browserTest("every plot exports SVG and PNG, and copies its data as CSV", async (page, base) => {
  const svg = await svgOf(page, base, [RUNS.convergence], "final-spectrum");
  ok(
    svg.axisLabels.includes("exponent index i") && svg.axisLabels.includes("λ_i (1/τ)"),
    svg.axisLabels.join(),
  );
  equal(svg.images, 0, "the SVG is vector (no embedded image)");
  await Deno.writeTextFile(`${SCREENSHOTS}/export-final-spectrum.svg`, svg.text);
  equal(await page.locator("button.svg").count(), 2);
  equal(await page.locator("button.png").count(), 2);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#chart-final-spectrum button.png"),
  ]);
  equal(download.suggestedFilename(), "final-spectrum.png");
  const path = `${SCREENSHOTS}/export-final-spectrum.png`;
  await download.saveAs(path);
  deepEqual([...(await Deno.readFile(path)).slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  await page.click("#chart-final-spectrum button.csv");
  const csv = await page.evaluate(() => navigator.clipboard.readText());
  const lines = csv.trim().split("\n");
  equal(lines[0], "series,exponent index i,λ_i (1/τ),stderr");
  equal(lines.length, 1 + 8);
  const dir = `${FIXTURES}/${RUNS.convergence.replace("data/", "")}`;
  const spectrum = readTable(CONVERGENCE_SPECTRUM_TABLE, await Deno.readTextFile(`${dir}spectrum.csv`));
  equal(lines[1], `sample 0,1,${spectrum.col.lambda[0]},${spectrum.col.stderr[0]}`);
});

browserTest("plots follow the width of the window", async (page, base) => {
  // Each plot fills its figure, whose width follows the window (one column at 1280 px, two at 1920 px).
  const widths = () =>
    page.locator("#chart-convergence").evaluate((
      f,
    ) => [f.clientWidth, f.querySelector("canvas")!.clientWidth]);
  await page.setViewportSize({ width: 1280, height: 900 });
  await view(page, base, [RUNS.convergence]);
  const [figure1280, plot1280] = await widths();
  ok(Math.abs(plot1280 - figure1280) <= 1, `${plot1280} px plot in a ${figure1280} px figure`);
  await page.setViewportSize({ width: 1920, height: 900 });
  await page.waitForFunction(
    (w) => document.querySelector<HTMLCanvasElement>("#chart-convergence canvas")!.clientWidth !== w,
    plot1280,
  );
  const [figure1920, plot1920] = await widths();
  ok(figure1920 !== figure1280, "the figure follows the window");
  ok(Math.abs(plot1920 - figure1920) <= 1, `${plot1920} px plot in a ${figure1920} px figure`);
});

browserTest("the viewer opens a run from files", async (page, base) => {
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

/** `deno task web:build` into a new temporary folder (the caller removes it). */
async function buildDist(): Promise<string> {
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
  return dist;
}

/** The static site's explorer case, and the same options for `flybrain spectrum`. */
const DIST_CASE = { n: "30", nle: "3", tsim: "20", seed: "1" };

browserTest(
  "deno task web:build writes a static site that works from a plain static host, with one thread without isolation",
  async (page, _base) => {
    const dist = await buildDist();
    for (const file of ["index.html", "explorer.html"]) {
      const html = await Deno.readTextFile(`${dist}/${file}`);
      ok(!/(src|href)="\//.test(html), `${file} uses only relative URLs`);
    }
    for (const file of ["README.md", "_headers"]) {
      const text = await Deno.readTextFile(`${dist}/${file}`);
      for (const [name, value] of Object.entries(ISOLATION_HEADERS)) {
        ok(text.includes(`${name}: ${value}`), `${file} names the header ${name}: ${value}`);
      }
    }
    const { url, server: host } = serveStatic(dist);
    try {
      await page.goto(
        `${url}explorer.html?${new URLSearchParams({ ...DIST_CASE, sweep: "2", threads: "2" })}`,
      );
      await ready(page);
      equal(await page.evaluate(() => crossOriginIsolated), false);
      const web = await resultJson(page);
      equal(web.threads, 1, "no isolation: one thread");
      match(
        await page.textContent("#threads-note") ?? "",
        /^Threads: 1 \(2 asked; \d+ cores\): this page is not cross-origin isolated \(its host does not send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp\)/,
      );
      sameNumbers(
        web,
        await cliSpectrum(DIST_CASE, "--threads", "2"),
        "1 thread in the page, 2 in the command line",
      );
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

browserTest(
  "the static site computes with threads where its host sends the headers; a failing thread ends the run at once",
  async (page, _base) => {
    const dist = await buildDist();
    const isolated = serveStatic(dist, ISOLATION_HEADERS);
    // The same site on another origin (nothing cached) with a team Worker that traps in its first job.
    const team = `${dist}/app/team_worker.js`;
    const trapping = serveStatic(dist, ISOLATION_HEADERS);
    const query = new URLSearchParams({ ...DIST_CASE, sweep: "0", threads: "2" });
    try {
      await page.goto(`${isolated.url}explorer.html?${query}`);
      await ready(page);
      const web = await resultJson(page);
      equal(web.threads, 2);
      sameNumbers(
        web,
        await cliSpectrum(DIST_CASE, "--threads", "2"),
        "2 threads, static site and command line",
      );
      const source = await Deno.readTextFile(team);
      const call = "x.teamWorker(init.team, tid);";
      ok(source.includes(call), `${team} calls ${call}`);
      await Deno.writeTextFile(team, source.replace(call, `x.teamTrapNext(init.team, tid); ${call}`));
      await page.goto(`${trapping.url}explorer.html?${query}`);
      await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
      equal(await page.getAttribute("body", "data-ready"), "error");
      match(
        await page.textContent("#status") ?? "",
        /^The computation failed: The core failed in thread 1 of 2 \(.+\); its threads were stopped$/,
      );
      await noWorkersWithin(page, 1000, "after the failure");
    } finally {
      await isolated.server.shutdown();
      await trapping.server.shutdown();
      await Deno.remove(dist, { recursive: true });
    }
  },
);

browserTest(
  "the explorer computes the spectrum of an opened or dropped .npy/.npz/JSON/CSV network, equal to the CLI's",
  async (page, base) => {
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
    const form = { nle: "4", tsim: "20", seed: "7", sweep: "2", activation: "tanh_pos" };
    for (const name of ["W.npy", "net.npz", "net.json", "edges.csv"]) {
      await page.goto(`${base}explorer.html`);
      await ready(page);
      for (const [field, value] of Object.entries(form)) {
        if (field === "activation") await page.selectOption("#in-activation", value);
        else await page.fill(`#in-${field}`, value);
      }
      await page.setInputFiles("#in-file", `${dir}/${name}`);
      await ready(page);
      const web = JSON.parse(await page.textContent("#result-json") ?? "");
      const expected = await cliJson("spectrum", {
        network: `${dir}/${name}`,
        nle: "4",
        tsim: "20",
        seed: "7",
        activation: "tanh_pos",
      });
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
      await ready(page);
      equal(await page.textContent("#file-name"), "dropped.npy (n=24)");
      deepEqual(JSON.parse(await page.textContent("#result-json") ?? "").exponents, expected.exponents);
    }
    await page.goto(`${base}explorer.html`);
    await ready(page);
    await page.setInputFiles("#in-file", `${dir}/bad.npy`);
    await page.waitForSelector("body[data-ready]", { timeout: 30_000 });
    equal(await page.getAttribute("body", "data-ready"), "error");
    match(
      await page.textContent("#status") ?? "",
      /^Cannot open bad\.npy: bad\.npy: W must be a square matrix/,
    );
  },
);

Deno.test({
  name: "no page logged an error (then the browser and the server stop)",
  ignore: NO_CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    if (session === undefined) return;
    const { browser, server, errors } = await session;
    session = undefined;
    try {
      deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.stop();
    }
  },
});
