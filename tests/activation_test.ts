import { equal, ok, throws } from "node:assert/strict";
import { type Activation, type Network, parseActivation } from "../src/deno.ts";
import { core } from "./_fixtures.ts";
import { activationTwin } from "./_reference.ts";

const xs = [-30, -19.5, -5, -1.3, -0.2, -1e-9, 0, 1e-9, 0.4, 1, 2.7, 8, 19.5, 25];

function evaluate(activation: Activation, h: number[], gain = 1.8, shift = 0.35) {
  const n = h.length;
  const net: Network = {
    n,
    weights: new Float64Array(n * n),
    activation,
    gains: new Float64Array(n).fill(gain),
    shifts: new Float64Array(n).fill(shift),
  };
  const ws = core.workspace(n, 1);
  try {
    ws.setNetwork(net, 0.1);
    ws.setState(h);
    return { net, ...ws.activation() };
  } finally {
    ws.free();
  }
}

for (const activation of ["tanh", "tanh_stretched", "tanh_pos"] as const) {
  Deno.test(`the core's φ' for ${activation} matches central finite differences of its φ`, () => {
    const eps = 1e-6;
    const h = xs.filter((x) => Math.abs(x) < 10);
    const at = evaluate(activation, h);
    const up = evaluate(activation, h.map((x) => x + eps)).phi;
    const down = evaluate(activation, h.map((x) => x - eps)).phi;
    h.forEach((_, i) => {
      const fd = (up[i] - down[i]) / (2 * eps);
      ok(Math.abs(fd - at.dphi[i]) < 1e-8, `x=${h[i]}: φ'=${at.dphi[i]}, FD=${fd}`);
    });
  });

  Deno.test(`the core's φ and φ' for ${activation} match tanh and 1/cosh² to a few ulp, also for large |x|`, () => {
    const got = evaluate(activation, xs);
    const want = activationTwin(got.net, xs);
    xs.forEach((x, i) => {
      ok(Math.abs(got.phi[i] - want.phi[i]) <= 4.5e-16 * Math.max(1, Math.abs(want.phi[i])), `φ(${x})`);
      ok(
        Math.abs(got.dphi[i] - want.dphi[i]) <= 1e-14 * want.dphi[i],
        `φ'(${x}) = ${got.dphi[i]} vs ${want.dphi[i]}`,
      );
      ok(got.dphi[i] > 0, `φ'(${x}) must not underflow to 0 (1 − tanh² would)`);
    });
  });
}

Deno.test("tanh ignores gains and shifts; the other activations use them", () => {
  equal(evaluate("tanh", [0.3], 5, 2).phi[0], Math.tanh(0.3));
  ok(Math.abs(evaluate("tanh_stretched", [0.3], 5, 2).phi[0] - Math.tanh(5 * (0.3 - 2))) < 1e-16);
  ok(Math.abs(evaluate("tanh_pos", [2], 5, 2).phi[0] - 0.5) < 1e-16);
});

Deno.test("parseActivation() accepts the original spellings and rejects others with the list", () => {
  equal(parseActivation("std"), "tanh");
  equal(parseActivation("pos"), "tanh_pos");
  equal(parseActivation("tanh_streched"), "tanh_stretched");
  equal(parseActivation("strech"), "tanh_stretched");
  throws(() => parseActivation("relu"), /Unknown activation "relu": expected one of tanh, std/);
  throws(() => parseActivation("constructor"), /Unknown activation/);
});
