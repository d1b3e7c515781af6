import { deepEqual, equal, throws } from "node:assert/strict";
import { parseShard, shardIndices, slurmShard } from "../src/shard.ts";

Deno.test("shardIndices() covers every index exactly once, for 1 to total + 2 shards", () => {
  for (const total of [0, 1, 5, 12, 21]) {
    for (let count = 1; count <= total + 2; count++) {
      const seen = new Array(total).fill(0);
      for (let index = 0; index < count; index++) {
        const mine = shardIndices(total, { index, count });
        deepEqual(mine, [...mine].sort((a, b) => a - b), "indices are increasing");
        for (const i of mine) seen[i]++;
        if (index >= total) equal(mine.length, 0, "a shard beyond the units is empty");
      }
      deepEqual(seen, new Array(total).fill(1), `total ${total}, ${count} shards`);
    }
  }
});

Deno.test("parseShard() refuses shards outside 0 ≤ I < N with one message naming the value", () => {
  deepEqual(parseShard("0/1"), { index: 0, count: 1 });
  throws(() => parseShard("5/4"), /shard index must be in 0..3, got "5\/4"/);
  throws(() => parseShard("4/4"), /shard index must be in 0..3/);
  throws(() => parseShard("0/0"), /shard count must be at least 1, got "0\/0"/);
  throws(() => parseShard("1"), /shard must be I\/N/);
  throws(() => parseShard("-1/3"), /shard must be I\/N/);
  throws(() => parseShard("1.5/3"), /shard must be I\/N/);
});

Deno.test("slurmShard() reads the array task's index relative to SLURM_ARRAY_TASK_MIN", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  equal(slurmShard(env({})), undefined);
  deepEqual(
    slurmShard(env({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" })),
    { index: 3, count: 4 },
  );
  deepEqual(
    slurmShard(env({ SLURM_ARRAY_TASK_ID: "12", SLURM_ARRAY_TASK_COUNT: "3", SLURM_ARRAY_TASK_MIN: "10" })),
    { index: 2, count: 3 },
  );
  throws(
    () =>
      slurmShard(env({ SLURM_ARRAY_TASK_ID: "7", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" })),
    /shard index must be in 0..3, got SLURM_ARRAY_TASK_ID=7/,
  );
});
