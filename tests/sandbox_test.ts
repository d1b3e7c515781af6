import { deepEqual, equal, ok } from "node:assert/strict";
import { sandboxFlags } from "../cli/_sandbox.ts";
import { sandboxFor } from "../cli/main.ts";
import { flybrain } from "./_cli.ts";

Deno.test("a sandboxed run can write under its output root only, and cannot open sockets or start processes", async () => {
  const root = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  const secret = `${outside}/secret.txt`;
  await Deno.writeTextFile(secret, "secret");
  const probe = new URL("./fixtures/sandbox_probe.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...sandboxFlags({ read: [], write: [root] }), probe, root, outside, secret],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const results = JSON.parse(new TextDecoder().decode(out.stdout));
  equal(results.writeInside, "allowed");
  for (const key of ["writeOutside", "readOutside", "listen", "connect", "fetch", "subprocess"]) {
    ok(
      /^(NotCapable|TypeError): Requires (read|write|net|run) access/.test(results[key]),
      `${key}: ${results[key]}`,
    );
  }
  deepEqual(Array.from(Deno.readDirSync(outside)).map((e) => e.name), ["secret.txt"]);
});

Deno.test("the sandbox of a command follows the declarations of its path options", async () => {
  const transition = ["transition_2_chaos", "--gmin", "1", "--gmax", "2", "--n_samples", "1"];
  deepEqual(await sandboxFor(transition), { read: ["data"], write: ["data/logs/transition_2_chaos"] });
  deepEqual(
    await sandboxFor(["lyapu_convergence", "--tons", "0.2", "--activation", "tanh", "--out=/tmp/x"]),
    {
      read: ["/tmp/x"],
      write: ["/tmp/x/logs/lyapu_convergence"],
    },
  );
  deepEqual(await sandboxFor(["spectrum", "--network", "net.json"]), { read: ["net.json"], write: [] });
  deepEqual(
    await sandboxFor(["train_rd_model", "--out", "o", "--resume", "r/logs/train_rd_model/x"]),
    {
      read: ["r", "o"],
      write: [
        "r/logs/train_rd_model/x",
        "r/models/train_rd_model/x",
        "o/logs/train_rd_model",
        "o/models/train_rd_model",
      ],
    },
  );
});

Deno.test("a sandboxed spectrum run reads the network file it is given", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/net.json`, JSON.stringify({ n: 2, weights: [0, 1, 1, 0] }));
  const r = await flybrain("spectrum", "--network", `${dir}/net.json`, "--tsim", "1", "--json");
  equal(r.code, 0, r.stderr);
  equal(JSON.parse(r.stdout).exponents.length, 2);
});
