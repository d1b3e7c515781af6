import { deepEqual, equal } from "node:assert/strict";
import { program } from "../cli/main.ts";
import type { TrainingSpec } from "../cli/_training.ts";
import { type TrainRdFlags, trainRdSpec } from "../cli/train_rd_model.ts";
import { deriveSeed, randomNetwork } from "../src/mod.ts";
import { shardIndices } from "../src/shard.ts";

/** The spec of `flybrain train_rd_model args` as the command parses it (nothing runs). */
async function spec(...args: string[]): Promise<TrainingSpec> {
  let opts: Record<string, unknown> | undefined;
  await program()
    .hook("preAction", (_p, command) => {
      opts = command.opts();
      throw new Error("parsed");
    })
    .parseAsync(["train_rd_model", ...args], { from: "user" })
    .catch(() => {});
  return trainRdSpec(opts as unknown as TrainRdFlags, ["train_rd_model", ...args]);
}

Deno.test("training shards: every sample is trained by exactly one shard, with the network and seeds of its index in the run", async () => {
  const base = ["--n", "6", "--nle", "2", "--loss", "MSE", "--activation", "tanh_pos", "--seed", "11"];
  for (const samples of [1, 3, 5]) {
    const whole = await spec(...base, "--n_samples", String(samples));
    equal(whole.shard, undefined);
    for (let count = 1; count <= samples + 2; count++) {
      const trained = new Array(samples).fill(0);
      for (let index = 0; index < count; index++) {
        const part = await spec(...base, "--n_samples", String(samples), "--shard", `${index}/${count}`);
        deepEqual(part.shard, { index, count });
        equal(part.samples, samples, "a shard knows the whole run's samples");
        for (const s of shardIndices(part.samples, part.shard!)) {
          trained[s]++;
          const mine = part.sample(s);
          const seed = deriveSeed(11, s);
          equal(mine.options.seed, seed);
          equal(mine.options.maskSeed, seed);
          deepEqual(
            mine.network.weights,
            randomNetwork({ n: 6, g: 1, seed, activation: "tanh_pos" }).weights,
          );
          deepEqual(mine.network.weights, whole.sample(s).network.weights);
        }
      }
      deepEqual(trained, new Array(samples).fill(1), `${samples} samples, ${count} shards`);
    }
  }
});
