import { deepEqual } from "node:assert/strict";
import { sandboxFor } from "../cli/main.ts";

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
  deepEqual(await sandboxFor(["vectors", "--n", "5"]), { read: [], write: [] });
  deepEqual(
    await sandboxFor(["vectors", "--network", "a.json", "--save", "/tmp/v/c.npy", "--out", "runs"]),
    { read: ["a.json", "runs"], write: ["/tmp/v/c.npy", "/tmp/v/.c.npy.tmp", "runs/logs/vectors"] },
  );
});
