/**
 * The run-folder format, written once for the workflows that write runs (cli/) and the page
 * that reads them (web/): where runs live (`<root>/logs/<workflow>/<run>/`, models under
 * `<root>/models/<workflow>/<run>/sample<i>/`), the names of their files, the columns of every
 * CSV table and the manifest. Rows to write and tables read are typed by the same column
 * tuples, so renaming a column here is a type error on both sides.
 *
 * @module
 */

/** The workflows that write run folders. */
export const WORKFLOWS = [
  "lyapu_convergence",
  "transition_2_chaos",
  "train_rd_model",
  "train_flybrain_full",
  "train_flybrain_pop",
  "vectors",
] as const;

/** A workflow that writes run folders. */
export type Workflow = (typeof WORKFLOWS)[number];

/** The manifest file of every run folder. */
export const MANIFEST_FILE = "manifest.json";
/** The plot summary of a `lyapu_convergence` run. */
export const CONVERGENCE_JSON = "convergence.json";
/** The plot summary of a `transition_2_chaos` run. */
export const TRANSITION_JSON = "transition.json";
/** The checkpoint of one training sample, in its models folder. */
export const CHECKPOINT_FILE = "checkpoint.json";
/**
 * The file a running run holds locked (an advisory lock the system releases when the process
 * ends, however it ends), so that a manifest left `running` by a dead process is recognised.
 */
export const RUN_LOCK_FILE = ".running";
/** The folder of a sweep's finished items, `<index>.json` each, until the run's files are written. */
export const FINISHED_FOLDER = "finished";

/** The folder of a workflow's runs (or of the `demo` files) below the output root: `logs/<name>`. */
export function logsPath(name: Workflow | "demo"): string {
  return `logs/${name}`;
}

/** The folder of a training workflow's models below the output root: `models/<workflow>`. */
export function modelsPath(workflow: Workflow): string {
  return `models/${workflow}`;
}

/** The folder of a run below the output root: `logs/<workflow>/<run>`. */
export function runPath(workflow: Workflow, run: string): string {
  return `${logsPath(workflow)}/${run}`;
}

/** The folder of a run: `<root>/logs/<workflow>/<run>`. */
export function runFolder(root: string, workflow: Workflow, run: string): string {
  return `${root}/${runPath(workflow, run)}`;
}

/**
 * The URL of a run folder relative to the data root, ending with a slash.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(runFolderUrl("train_rd_model", "a b"), "logs/train_rd_model/a%20b/");
 * ```
 */
export function runFolderUrl(workflow: string, run: string): string {
  return `logs/${encodeURIComponent(workflow)}/${encodeURIComponent(run)}/`;
}

/**
 * The output root, workflow and run name of a run folder `<root>/logs/<workflow>/<run>`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(runFolderParts("data/logs/train_rd_model/r/"), { root: "data", workflow: "train_rd_model", run: "r" });
 * ```
 */
export function runFolderParts(runDir: string): { root: string; workflow: Workflow; run: string } {
  const parts = runDir.replace(/\/+$/, "").split("/");
  const i = parts.lastIndexOf("logs");
  if (i < 0 || i + 3 !== parts.length || !WORKFLOWS.includes(parts[i + 1] as Workflow)) {
    throw new Error(`Not a run folder (<out>/logs/<workflow>/<run>): ${runDir}`);
  }
  return { root: parts.slice(0, i).join("/") || ".", workflow: parts[i + 1] as Workflow, run: parts[i + 2] };
}

/**
 * The models folder of a run folder: `<root>/logs/<wf>/<run>` → `<root>/models/<wf>/<run>`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(modelsFolder("data/logs/train_rd_model/r"), "data/models/train_rd_model/r");
 * ```
 */
export function modelsFolder(runDir: string): string {
  const { root, workflow, run } = runFolderParts(runDir);
  return `${root}/${modelsPath(workflow)}/${run}`;
}

/** The folder of one training sample's model files below the output root: `models/<wf>/<run>/sample<i>`. */
export function sampleModelsPath(workflow: Workflow, run: string, sample: number): string {
  return `${modelsPath(workflow)}/${run}/sample${sample}`;
}

/**
 * The folder of one training sample's model files of a run folder:
 * `<root>/logs/<wf>/<run>` → `<root>/models/<wf>/<run>/sample<i>`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(sampleModelsFolder("data/logs/train_rd_model/r", 1), "data/models/train_rd_model/r/sample1");
 * ```
 */
export function sampleModelsFolder(runDir: string, sample: number): string {
  const { root, workflow, run } = runFolderParts(runDir);
  return `${root}/${sampleModelsPath(workflow, run, sample)}`;
}

/** The network file of a training sample at an epoch: `epoch<E>.json`. */
export function networkFileName(epoch: number): string {
  return `epoch${epoch}.json`;
}

/** The `.npy` file of a trained part at an epoch: `<part>_epoch<E>.npy`. */
export function npyFileName(part: "weights" | "gains" | "shifts", epoch: number): string {
  return `${part}_epoch${epoch}.npy`;
}

/**
 * A CSV table of a run: its file name, its columns in order and the optional columns that
 * follow them (written all together or not at all).
 */
export interface TableSchema<C extends string = string, O extends string = string> {
  readonly file: string;
  readonly columns: readonly C[];
  readonly optional: readonly O[];
}

/** The required columns of a table. */
export type Column<S extends TableSchema> = S["columns"][number];
/** The optional columns of a table. */
export type OptionalColumn<S extends TableSchema> = S["optional"][number];

/** A cell as written: a number, or a string ("" for empty; kept verbatim when rows are carried over). */
export type Cell = number | string;

/** One row of a table to write, keyed by its column names. */
export type Row<S extends TableSchema> =
  & { [K in Column<S>]: Cell }
  & { [K in OptionalColumn<S>]?: Cell };

/** `lyapu_convergence`: running estimate λ_i(time) of every sample. */
export const CONVERGENCE_TABLE = {
  file: "convergence.csv",
  columns: ["sample", "time", "i", "lambda"],
  optional: [],
} as const;
/** `lyapu_convergence`: final exponents and their block standard errors. */
export const CONVERGENCE_SPECTRUM_TABLE = {
  file: "spectrum.csv",
  columns: ["sample", "i", "lambda", "stderr"],
  optional: [],
} as const;
/** `transition_2_chaos`: λ_max of every network (with nle > 1 also D_KY and the entropy rate). */
export const LAMBDA_MAX_TABLE = {
  file: "lambda_max.csv",
  columns: ["g", "sample", "seed", "lambda_max"],
  optional: ["ky_dimension", "entropy"],
} as const;
/** `transition_2_chaos`: per g, median and quartiles of λ_max, fraction chaotic (and D/N, H/N). */
export const TRANSITION_SUMMARY_TABLE = {
  file: "summary.csv",
  columns: ["g", "samples", "median", "q1", "q3", "fraction_chaotic"],
  optional: ["D_over_N", "H_over_N"],
} as const;
/** `transition_2_chaos` with nle > 1: every network's spectrum. */
export const TRANSITION_SPECTRA_TABLE = {
  file: "spectra.csv",
  columns: ["g", "sample", "i", "lambda"],
  optional: [],
} as const;
/** Training workflows: one row per sample and epoch (empty gradient norms for parts not trained). */
export const TRAINING_TABLE = {
  file: "training.csv",
  columns: [
    "sample",
    "epoch",
    "loss",
    "lambda_max",
    "grad_norm_weights",
    "grad_norm_gains",
    "grad_norm_shifts",
    "seconds",
  ],
  optional: [],
} as const;
/** Training workflows: the logged spectra (epoch 0 = before training). */
export const TRAINING_SPECTRA_TABLE = {
  file: "spectra.csv",
  columns: ["sample", "epoch", "i", "lambda"],
  optional: [],
} as const;

/** `vectors`: per vector, QR and covariant exponents, localisation and neighbour angles. */
export const VECTORS_SUMMARY_TABLE = {
  file: "vectors_summary.csv",
  columns: [
    "i",
    "lambda_qr",
    "stderr_qr",
    "lambda_clv",
    "stderr_clv",
    "ipr",
    "ipr_stderr",
    "participation_ratio",
    "participation_ratio_stderr",
    "angle_next_mean",
    "angle_next_min",
  ],
  optional: [],
} as const;
/** `vectors`: the smallest unstable/stable angle at each sample (empty when one side is empty). */
export const VECTORS_ANGLES_TABLE = {
  file: "angles.csv",
  columns: ["sample", "time", "unstable_stable"],
  optional: [],
} as const;
/** `vectors`: distribution of each vector's finite-time exponents. */
export const VECTORS_FTLE_TABLE = {
  file: "ftle.csv",
  columns: ["i", "window", "mean", "variance", "std", "q05", "q25", "q50", "q75", "q95"],
  optional: [],
} as const;
/**
 * `vectors` of a network with types: each vector's share on each cell type (group "type",
 * name the type's) and on E/I neurons (group "sign", name excitatory or inhibitory). Its text
 * cells keep it out of the tables the page reads.
 */
export const VECTORS_TYPE_SHARES_TABLE = {
  file: "type_shares.csv",
  columns: ["i", "group", "name", "share"],
  optional: [],
} as const;
/** `vectors`: the vectors, float64 (samples, n, k). */
export const VECTORS_NPY = "clv.npy";
/** `vectors`: the summary of `flybrain vectors --json`. */
export const VECTORS_JSON = "vectors.json";

/** The CSV tables of a workflow's runs: those every run has, and those it may have. */
export interface RunTableSchemas {
  readonly required: Readonly<Record<string, TableSchema>>;
  readonly optional: Readonly<Record<string, TableSchema>>;
}

/** The tables of `lyapu_convergence` runs. */
interface ConvergenceTables extends RunTableSchemas {
  readonly required: { readonly convergence: typeof CONVERGENCE_TABLE };
  readonly optional: { readonly spectrum: typeof CONVERGENCE_SPECTRUM_TABLE };
}

/** The tables of `transition_2_chaos` runs. */
interface TransitionTables extends RunTableSchemas {
  readonly required: {
    readonly lambdaMax: typeof LAMBDA_MAX_TABLE;
    readonly summary: typeof TRANSITION_SUMMARY_TABLE;
  };
  readonly optional: { readonly spectra: typeof TRANSITION_SPECTRA_TABLE };
}

/** The tables of training runs. */
interface TrainingTables extends RunTableSchemas {
  readonly required: { readonly training: typeof TRAINING_TABLE };
  readonly optional: { readonly spectra: typeof TRAINING_SPECTRA_TABLE };
}

/** The tables of `vectors` runs (the page reads the numeric ones). */
interface VectorsTables extends RunTableSchemas {
  readonly required: {
    readonly summary: typeof VECTORS_SUMMARY_TABLE;
    readonly angles: typeof VECTORS_ANGLES_TABLE;
    readonly ftle: typeof VECTORS_FTLE_TABLE;
  };
  // deno-lint-ignore ban-types
  readonly optional: {};
}

/** The tables of each workflow's runs, by workflow (every workflow has its entry). */
export type WorkflowTables = {
  readonly [W in Workflow]: W extends "lyapu_convergence" ? ConvergenceTables
    : W extends "transition_2_chaos" ? TransitionTables
    : W extends "vectors" ? VectorsTables
    : TrainingTables;
};

const TRAINING_TABLES: TrainingTables = {
  required: { training: TRAINING_TABLE },
  optional: { spectra: TRAINING_SPECTRA_TABLE },
};

/** The CSV tables of each workflow's runs. */
export const WORKFLOW_TABLES: WorkflowTables = {
  lyapu_convergence: {
    required: { convergence: CONVERGENCE_TABLE },
    optional: { spectrum: CONVERGENCE_SPECTRUM_TABLE },
  },
  transition_2_chaos: {
    required: { lambdaMax: LAMBDA_MAX_TABLE, summary: TRANSITION_SUMMARY_TABLE },
    optional: { spectra: TRANSITION_SPECTRA_TABLE },
  },
  train_rd_model: TRAINING_TABLES,
  train_flybrain_full: TRAINING_TABLES,
  train_flybrain_pop: TRAINING_TABLES,
  vectors: {
    required: { summary: VECTORS_SUMMARY_TABLE, angles: VECTORS_ANGLES_TABLE, ftle: VECTORS_FTLE_TABLE },
    optional: {},
  },
};

/**
 * The header and the cells of rows to write, in the schema's column order (with the optional
 * columns when `withOptional`); throws when a row lacks a value.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * const rows = tableCells(TRANSITION_SPECTRA_TABLE, [{ g: 1, sample: 0, i: 1, lambda: -0.5 }]);
 * deepEqual(rows, [["g", "sample", "i", "lambda"], [1, 0, 1, -0.5]]);
 * ```
 */
export function tableCells<S extends TableSchema>(
  schema: S,
  rows: readonly Row<S>[],
  withOptional = false,
): Cell[][] {
  const columns: readonly string[] = withOptional ? [...schema.columns, ...schema.optional] : schema.columns;
  return [
    [...columns],
    ...rows.map((row) =>
      columns.map((c) => {
        const cell = (row as Record<string, Cell | undefined>)[c];
        if (cell === undefined) throw new Error(`${schema.file}: a row has no value for column ${c}`);
        return cell;
      })
    ),
  ];
}

/** Status of a run as recorded in its manifest. */
export type RunStatus = "running" | "complete" | "failed" | "interrupted";

const RUN_STATUSES: readonly RunStatus[] = ["running", "complete", "failed", "interrupted"];

/** The manifest of a run (`manifest.json`). */
export interface Manifest {
  workflow: Workflow;
  run: string;
  command: string[];
  /** The run's options (the workflow's flags as recorded; `--resume` runs again from them). */
  options: Record<string, unknown>;
  seed: number;
  tool: { name: string; version: string };
  wasmSha256: string;
  workers: number;
  /** Threads computing each network (absent in runs before threads: 1). */
  threads?: number;
  start: string;
  end?: string;
  status: RunStatus;
  /** Process id and host of the process that runs (or ran) it. */
  pid?: number;
  host?: string;
  progress?: { done: number; total: number };
  error?: string;
  /** The files of the run folder (the model files live in its models folder). */
  files: string[];
  /** A merged run: each shard's timings and workers (docs/design.md#17-shards-and-slurm). */
  shards?: { index: number; start: string; end?: string; workers: number }[];
}

/**
 * Checks the parsed JSON of a manifest (`where` names it in errors) and returns it typed.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * throws(() => parseManifest({ workflow: "nope" }, "m.json"), /m.json: "workflow"/);
 * ```
 */
export function parseManifest(json: unknown, where: string): Manifest {
  const bad = (what: string) => new SyntaxError(`${where}: ${what}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw bad("expected a JSON object");
  const m = json as Record<string, unknown>;
  if (!WORKFLOWS.includes(m.workflow as Workflow)) {
    throw bad(`"workflow" must be one of ${WORKFLOWS.join(", ")}, got ${JSON.stringify(m.workflow)}`);
  }
  if (typeof m.run !== "string") throw bad(`"run" must be a string`);
  if (typeof m.options !== "object" || m.options === null || Array.isArray(m.options)) {
    throw bad(`"options" must be an object`);
  }
  if (!RUN_STATUSES.includes(m.status as RunStatus)) {
    throw bad(`"status" must be one of ${RUN_STATUSES.join(", ")}, got ${JSON.stringify(m.status)}`);
  }
  if (!Array.isArray(m.files) || m.files.some((f) => typeof f !== "string")) {
    throw bad(`"files" must be an array of file names`);
  }
  return m as unknown as Manifest;
}
