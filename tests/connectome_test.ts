import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { largestScc, loadConnectome, readConnectomeTable, sinkhornBalance } from "../src/deno.ts";

const DIR = new URL("../data/connectomics", import.meta.url).pathname;

// Largest strongly connected components listed in data/connectomics/README.md.
const SCC_SIZES: Record<string, [number, number]> = {
  EB: [429, 466],
  PB: [655, 725],
  NO: [510, 539],
  AB: [143, 153],
  FB: [2135, 2398],
};

Deno.test("every ROI gives the documented network size for both choices of unknown_sign", () => {
  for (const [roi, [drop, excitatory]] of Object.entries(SCC_SIZES)) {
    equal(loadConnectome(DIR, { roi, normalize: "none" }).n, drop, `${roi} drop`);
    equal(
      loadConnectome(DIR, { roi, normalize: "none", unknownSign: "excitatory" }).n,
      excitatory,
      `${roi} keep`,
    );
  }
  const ebpb = loadConnectome(DIR, { roi: "EB_PB", normalize: "none" });
  ok(ebpb.n > 655 && ebpb.n < 1075, `EB_PB: ${ebpb.n}`);
  const all = loadConnectome(DIR, { roi: "AB", normalize: "none", scc: false });
  equal(all.n, 145, "without the SCC step every AB neuron of known sign stays");
});

Deno.test("W[post, pre] = sign(pre)·synapses: every presynaptic column has one sign, the table's", () => {
  const net = loadConnectome(DIR, { roi: "EB", normalize: "none" });
  const table = readConnectomeTable(`${DIR}/EB`);
  const id = new Map(net.ids.map((b, i) => [b, i]));
  const n = net.n;
  for (let pre = 0; pre < n; pre++) {
    for (let post = 0; post < n; post++) {
      const w = net.weights[post * n + pre];
      ok(w === 0 || Math.sign(w) === net.signs[pre], `column ${pre} mixes signs`);
    }
  }
  const [a, b, count] = table.edges.find(([p, q]) =>
    id.has(table.neurons[p].bodyId) && id.has(table.neurons[q].bodyId)
  )!;
  const pre = id.get(table.neurons[a].bodyId)!;
  const post = id.get(table.neurons[b].bodyId)!;
  equal(net.weights[post * n + pre], table.neurons[a].sign * count);
});

Deno.test("Sinkhorn normalisation: every row of each part sums to 1/2; columns too where a balance exists", () => {
  const net = loadConnectome(DIR, { roi: "AB" });
  const n = net.n;
  for (const sign of [1, -1]) {
    for (let post = 0; post < n; post++) {
      let sum = 0;
      for (let pre = 0; pre < n; pre++) {
        if (net.signs[pre] === sign) sum += Math.abs(net.weights[post * n + pre]);
      }
      ok(sum === 0 || Math.abs(sum - 0.5) < 1e-12, `row ${post}, sign ${sign}: ${sum}`);
    }
  }
  ok(
    net.sinkhorn!.excitatory.settled && !net.sinkhorn!.excitatory.converged,
    "AB has more rows than senders",
  );
  // A square pattern with total support balances exactly, rows and columns.
  const entries: [number, number, number][] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) if (i !== j) entries.push([i, j, 1 + i * j]);
  }
  const result = sinkhornBalance(entries, 4);
  ok(result.converged, JSON.stringify(result));
  for (const axis of [0, 1]) {
    const sums = [0, 0, 0, 0];
    for (const e of entries) sums[e[axis]] += e[2];
    for (const s of sums) ok(Math.abs(s - 0.5) < 1e-10, `axis ${axis}: ${sums}`);
  }
});

Deno.test("largestScc() finds the largest strongly connected component", () => {
  // 0→1→2→0 is a cycle of three; 3→4→3 a cycle of two; 2→3 joins them one way; 5 is alone.
  const edges: [number, number, number][] = [
    [0, 1, 1],
    [1, 2, 1],
    [2, 0, 1],
    [3, 4, 1],
    [4, 3, 1],
    [2, 3, 1],
    [5, 0, 1],
  ];
  deepEqual(largestScc(6, edges), [0, 1, 2]);
  deepEqual(largestScc(2, []), [0]);
});

Deno.test("subpopulations group neurons by neurotransmitter or cell body fiber", () => {
  const nt = loadConnectome(DIR, { roi: "EB", normalize: "none", subpopulation: "neurotransmitter" });
  deepEqual(nt.typeNames, ["acetylcholine", "gaba", "glutamate"]);
  equal(nt.gains.length, 3);
  const fibers = loadConnectome(DIR, { roi: "EB", normalize: "none", subpopulation: "cell_fibers" });
  ok(fibers.typeNames!.length > 3 && fibers.types!.every((t) => t < fibers.typeNames!.length));
});

Deno.test("malformed connectome tables give file:line errors", async () => {
  const good =
    "bodyId,type,instance,cellBodyFiber,side,roi_pre,roi_post,nt_gt_type,nt_pred,nt_pred_conf,nt,nt_source,sign\n" +
    "1,A,A_1,F1,left,1,1,,,,acetylcholine,gt_type,1\n2,B,B_1,F2,left,1,1,,,,gaba,gt_type,-1\n";
  const cases: [string, string, RegExp][] = [
    [
      good.replace("bodyId,", "id,"),
      "bodyId_pre,bodyId_post,weight\n1,2,3\n",
      /neurons.csv:1: missing column\(s\) bodyId/,
    ],
    [
      good.replace("\n2,B", "\nx,B"),
      "bodyId_pre,bodyId_post,weight\n",
      /neurons.csv:3: bodyId must be an integer, got "x"/,
    ],
    [
      good.replace("\n2,B", "\n1,B"),
      "bodyId_pre,bodyId_post,weight\n",
      /neurons.csv:3: bodyId 1 appears twice/,
    ],
    [
      good.replace("gt_type,-1", "gt_type,2"),
      "bodyId_pre,bodyId_post,weight\n",
      /neurons.csv:3: sign must be 1, -1 or 0, got 2/,
    ],
    [
      good,
      "bodyId_pre,bodyId_post,weight\n1,2,3\n1,9,1\n",
      /edges.csv:3: bodyId_post 9 is not in neurons.csv/,
    ],
    [
      good,
      "bodyId_pre,bodyId_post,weight\n1,2,-3\n",
      /edges.csv:2: weight must be a positive synapse count, got -3/,
    ],
    [good, "bodyId_pre,bodyId_post,weight\n1,2\n", /edges.csv:2: /],
  ];
  for (const [neurons, edges, message] of cases) {
    const dir = await Deno.makeTempDir();
    await Deno.writeTextFile(`${dir}/neurons.csv`, neurons);
    await Deno.writeTextFile(`${dir}/edges.csv`, edges);
    throws(() => readConnectomeTable(dir), message);
  }
  throws(
    () => loadConnectome(DIR, { roi: "XX" }),
    /Unknown ROI "XX": expected one of EB, PB, NO, AB, FB, EB_PB/,
  );
});
