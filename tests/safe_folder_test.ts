import { deepEqual, equal, rejects } from "node:assert/strict";
import { checkFolder, ensureFolder } from "../src/safe_folder.ts";

Deno.test("ensureFolder() creates the folders below the root and enters existing ones", async () => {
  const root = await Deno.makeTempDir();
  equal(await ensureFolder(root, "logs/demo"), `${root}/logs/demo`);
  equal(await ensureFolder(root, "logs/demo"), `${root}/logs/demo`);
  equal(await ensureFolder(`${root}/new`, "logs"), `${root}/new/logs`);
  equal(Deno.statSync(`${root}/new/logs`).isDirectory, true);
});

Deno.test("ensureFolder() refuses a symbolic link or a file below the root, creating nothing through it", async () => {
  const root = await Deno.makeTempDir();
  const elsewhere = await Deno.makeTempDir();
  await Deno.symlink(elsewhere, `${root}/logs`);
  await rejects(ensureFolder(root, "logs/demo"), /logs: it is a symbolic link, which could lead out/);
  await Deno.mkdir(`${root}/models`);
  await Deno.symlink(elsewhere, `${root}/models/wf`);
  await rejects(ensureFolder(root, "models/wf/run/sample0"), /models\/wf: it is a symbolic link/);
  await Deno.writeTextFile(`${root}/file`, "x");
  await rejects(ensureFolder(root, "file/run"), /file: it is a file, not a folder/);
  await rejects(ensureFolder(root, "../x"), /climbs out/);
  deepEqual(Array.from(Deno.readDirSync(elsewhere)), []);
});

Deno.test("ensureFolder() accepts a root that is itself a link (the user's choice)", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/real`);
  await Deno.symlink(`${dir}/real`, `${dir}/root`);
  await ensureFolder(`${dir}/root`, "logs/wf");
  equal(Deno.statSync(`${dir}/real/logs/wf`).isDirectory, true);
});

Deno.test("checkFolder() checks without creating anything", async () => {
  const root = await Deno.makeTempDir();
  await checkFolder(root, "logs/wf/run");
  deepEqual(Array.from(Deno.readDirSync(root)), []);
  await Deno.symlink(await Deno.makeTempDir(), `${root}/logs`);
  await rejects(checkFolder(root, "logs/wf/run"), /symbolic link/);
});
