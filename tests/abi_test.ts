import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { ActivationCode, Field, PrecisionCode } from "../assembly/abi.ts";
import { abiMismatches, CORE_URL } from "../src/core.ts";
import { core } from "./_fixtures.ts";

const rawExports = async () =>
  (await WebAssembly.instantiate(await Deno.readFile(CORE_URL), { env: { abort() {} } })).instance.exports;

Deno.test("the built core exports every buffer id, activation and precision code of assembly/abi.ts unchanged", async () => {
  const exports = await rawExports();
  deepEqual(abiMismatches(exports), []);
  for (const name of ["Field.W", "Field.Wbs", "ActivationCode.tanh_pos", "PrecisionCode.f32"]) {
    ok(exports[name] instanceof WebAssembly.Global, `${name} is exported`);
  }
});

Deno.test("abiMismatches() reports an id or a code that differs between the module and the library", async () => {
  const exports = { ...await rawExports() };
  exports["Field.Q"] = new WebAssembly.Global({ value: "i32", mutable: false }, Field.Q + 1);
  delete exports["ActivationCode.tanh_pos"];
  deepEqual(abiMismatches(exports), [
    `Field.Q is ${Field.Q + 1} in the module, ${Field.Q} in the library`,
    `ActivationCode.tanh_pos is undefined in the module, ${ActivationCode.tanh_pos} in the library`,
  ]);
});

Deno.test("wsField() gives a distinct address for every buffer id once the adjoint and sparse buffers exist", () => {
  for (const precision of ["f64", "f32"] as const) {
    const x = core.exports;
    const ws = x.wsNew(6, 2, PrecisionCode[precision]);
    try {
      x.adjointBegin(ws); // dense: W̄ too
      x.wsSetSparse(ws, 5);
      const ids = Object.values(Field).filter((v): v is Field => typeof v === "number");
      const addresses = ids.map((id) => x.wsField(ws, id));
      for (const a of addresses) notEqual(a, 0);
      equal(new Set(addresses).size, ids.length);
      equal(x.wsField(ws, ids.length as Field), 0, "an unknown id gives 0");
    } finally {
      x.wsFree(ws);
    }
  }
});
