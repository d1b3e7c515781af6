/**
 * The repository points only into itself: every anchor cited as `docs/design.md#<anchor>` names a
 * heading of the design document, and no file refers to the founding spec, a machine path or a
 * relative path that leaves the repository root. The patterns below are spelled so that this file does not match them.
 */
import { deepEqual, equal } from "node:assert/strict";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DESIGN_DOC = "docs/design.md";
/** Files larger than this (the big connectome tables) hold no references and are not read. */
const MAX_BYTES = 2 * 1024 * 1024;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a markdown text's headings (outside code fences), with GitHub's `-1`, `-2` for repeats. */
function markdownAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = githubAnchor(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** A problem found in a file. */
interface Finding {
  file: string;
  line: number;
  what: string;
}

/** Patterns that point outside the repository, whatever file they are in. */
const OUTSIDE: readonly [RegExp, string][] = [
  [/\bD[E]SIGN\b/, "a reference to the founding spec (link docs/design.md#<anchor> instead)"],
  [/§\s*\d/, "a section number of an outside document (link docs/design.md#<anchor> instead)"],
  [/(?<![\w.-])s[h]ared\//, "a path into the shared folder outside the repository"],
  [/(?<![\w.-])\/(?:w[o]rk|h[o]me)\//, "an absolute path of a machine"],
];

/**
 * The problems of one file (`file` relative to the root): references to missing anchors of the
 * design document, and pointers outside the repository.
 */
function checkFile(file: string, text: string, anchors: Set<string>): Finding[] {
  const found: Finding[] = [];
  const depth = file.split("/").length - 1;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const at = (what: string) => found.push({ file, line: i + 1, what });
    for (const m of line.matchAll(/docs\/design\.md#([\p{L}\p{N}_-]+)/gu)) {
      if (!anchors.has(m[1])) at(`docs/design.md#${m[1]}: no such heading`);
    }
    if (file === DESIGN_DOC) {
      for (const m of line.matchAll(/\]\(#([^)]+)\)/g)) {
        if (!anchors.has(m[1])) at(`#${m[1]}: no such heading`);
      }
    }
    for (const [pattern, what] of OUTSIDE) if (pattern.test(line)) at(what);
    // A relative path that starts a token (not a URL path like "/a/../b") and climbs above the root.
    for (const m of line.matchAll(/(?<![\w/.%-])\.\.(?:\/\.\.)*(?=[/"'`)\s]|$)/g)) {
      const up = m[0].split("/").length;
      if (up > depth) at(`"${m[0]}" climbs ${up} folders from ${depth} deep: outside the repository`);
    }
  });
  return found;
}

/** The folders of .gitignore (plain `name/` lines) and .git: what the scan skips. */
async function ignoredFolders(): Promise<Set<string>> {
  const lines = (await Deno.readTextFile(`${ROOT}/.gitignore`)).split("\n");
  return new Set([
    ".git",
    ...lines.map((l) => l.trim().replace(/\/$/, "")).filter((l) => l && !l.startsWith("#")),
  ]);
}

/** Every text file of the repository (relative paths), without the ignored folders. */
async function repositoryFiles(): Promise<string[]> {
  const ignored = await ignoredFolders();
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir === "" ? ROOT : `${ROOT}/${dir}`)) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (ignored.has(path)) continue;
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) files.push(path);
    }
  };
  await walk("");
  return files.sort();
}

async function scanRepository(): Promise<Finding[]> {
  const anchors = markdownAnchors(await Deno.readTextFile(`${ROOT}/${DESIGN_DOC}`));
  const findings: Finding[] = [];
  for (const file of await repositoryFiles()) {
    let bytes: Uint8Array;
    try {
      if ((await Deno.stat(`${ROOT}/${file}`)).size > MAX_BYTES) continue;
      bytes = await Deno.readFile(`${ROOT}/${file}`);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue; // a temporary file of a test running beside this one
      throw e;
    }
    if (bytes.includes(0)) continue; // binary
    findings.push(...checkFile(file, new TextDecoder().decode(bytes), anchors));
  }
  return findings;
}

Deno.test("githubAnchor() gives GitHub's anchors for the design document's headings", () => {
  equal(githubAnchor("3. Model and conventions"), "3-model-and-conventions");
  equal(githubAnchor("5. Kernels: dense and sparse"), "5-kernels-dense-and-sparse");
  equal(githubAnchor("Run `flybrain` (CLI) — [links](x.md)"), "run-flybrain-cli--links");
  deepEqual([...markdownAnchors("# A\n```\n# not a heading\n```\n## A\n## b_c")], ["a", "a-1", "b_c"]);
});

Deno.test("checkFile() reports a missing anchor and every kind of pointer outside the repository", () => {
  const anchors = new Set(["3-model-and-conventions"]);
  const up = (n: number) => Array(n).fill("..").join("/");
  const spec = ["DES", "IGN"].join("");
  const bad = [
    `see docs/design.md#3-model-and-conventions and docs/design.md#${"99-nowhere"}`,
    `the spec, ${spec} \u00a73`,
    `read ${up(1)}/${["sh", "ared"].join("")}/reference/x.json`,
    `import x from "${up(3)}/elsewhere.ts";`,
    ["", "wo" + "rk", "main", "x"].join("/"),
  ].join("\n");
  deepEqual(
    checkFile("tests/fixtures/x.md", bad, anchors).map((f) => f.line),
    [1, 2, 2, 3, 4, 5],
  );
  const good = [
    "see docs/design.md#3-model-and-conventions",
    `import x from "${up(2)}/src/mod.ts";`,
    'fetch("/data/../../deno.json"); for (const x of [...a]) rows n..ld;',
    "the module shared by every Worker",
  ].join("\n");
  deepEqual(checkFile("tests/fixtures/x.md", good, anchors), []);
  deepEqual(checkFile(DESIGN_DOC, "[a](#3-model-and-conventions) [b](#missing)", anchors).length, 1);
});

Deno.test("every anchor cited in the repository exists in docs/design.md and nothing points outside the repository", async () => {
  const findings = await scanRepository();
  deepEqual(findings.map((f) => `${f.file}:${f.line}: ${f.what}`), []);
});
