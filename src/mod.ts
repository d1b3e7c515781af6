/**
 * FlyStability: Lyapunov spectra of rate recurrent neural networks. This entry runs anywhere
 * (Deno, the browser, Workers): the core, networks, spectra, gradients, training, connectome
 * construction from its tables, network files parsed and serialised, and the run-folder
 * format. File access, run folders on disk and the Worker pool: `./deno.ts`.
 *
 * Model: h ← (1 − dt)·h + dt·W φ(h) with `W[post * n + pre]` (row = receiving neuron), time in
 * units of the neuron time constant, natural logarithms (exponents in nats per unit time),
 * exponents in QR column order. See docs/design.md#3-model-and-conventions for every convention.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const net = randomNetwork({ n: 100, g: 0.5, seed: 1 });
 * const { exponents } = core.lyapunovSpectrum(net, { nle: 5, tsim: 100 });
 * ok(exponents[0] < 0); // g < 1: the origin is a stable fixed point
 * ```
 *
 * @module
 */

export {
  type Activation,
  ACTIVATION_ALIASES,
  checkUsesGainsAndShifts,
  parseActivation,
  usesGainsAndShifts,
} from "./activation.ts";
export {
  Core,
  CORE_URL,
  type CoreSource,
  loadCore,
  type LoadCoreOptions,
  MAX_THREADS,
  THREADS_CORE_URL,
} from "./core.ts";
export {
  checkSpectrumOptions,
  lyapunovSpectrum,
  type LyapunovSpectrumOptions,
  randomFrame,
  randomState,
  SPECTRUM_DEFAULTS,
  SPECTRUM_LIMITS,
  type SpectrumHistory,
  type SpectrumResult,
  type SpectrumSettings,
} from "./lyapunov_spectrum.ts";
export {
  countConnections,
  type Network,
  neuronParameters,
  RANDOM_NETWORK_DEFAULTS,
  randomNetwork,
  type RandomNetworkOptions,
  validateNetwork,
} from "./network.ts";
export {
  formatDuration,
  type Progress,
  type ProgressEstimate,
  progressLine,
  ProgressMeter,
} from "./progress.ts";
export { deriveSeed, Rng, STREAMS } from "./random.ts";
export { entropyRate, type KaplanYorke, kaplanYorke } from "./spectrum_stats.ts";
export {
  autoKernels,
  chooseKernels,
  type CoreExports,
  type Kernels,
  type Precision,
  SPARSE_DENSITY,
  Workspace,
} from "./workspace.ts";
export {
  type NetworkFile,
  type NetworkFileExtras,
  networkFileJson,
  type NetworkFileOptions,
  parseNetworkFile,
} from "./network_file.ts";
export {
  type NetworkFormat,
  networkFormat,
  parseNetworkBytes,
  type ParseNetworkOptions,
} from "./network_parse.ts";
export { parseNetworkNpy } from "./network_npy.ts";
export { NPZ_ARRAYS, parseNetworkNpz } from "./network_npz.ts";
export { type NeuronTable, parseNetworkCsv, parseNeuronTable } from "./network_csv.ts";
export { type NpyArray, parseNpy } from "./npy_parse.ts";
export { type GradientJob, type Job, type JobResult, runJob, type SpectrumJob } from "./jobs.ts";
export { stopComputation, type StopSignal, type TeamOptions, ThreadTeam } from "./thread_team.ts";
export { superviseTeam, type TeamInit, type TeamSupervision } from "./team_supervisor.ts";
export {
  type ParallelismPlan,
  type ParallelismRequest,
  planParallelism,
  type Threads,
  THREADS_PAY,
  threadsPay,
} from "./parallelism.ts";
export {
  checkSweepParameters,
  linspace,
  quantile,
  summarize,
  sweepNetwork,
  type SweepNetworkRecipe,
  type SweepParameter,
  type TransitionSummary,
} from "./transition.ts";
export {
  customTarget,
  LOSS_NAMES,
  type LossName,
  type LossValue,
  parseLoss,
  spectrumLoss,
} from "./losses.ts";
export {
  checkGradientOptions,
  GRADIENT_DEFAULTS,
  type SpectrumGradient,
  spectrumGradient,
  type SpectrumGradientOptions,
  type TrainSelection,
} from "./spectrum_gradient.ts";
export { npyBytes } from "./npy.ts";
export {
  type EpochLog,
  type Part,
  train,
  TRAIN_DEFAULTS,
  type TrainCheckpoint,
  Trainer,
  type TrainOptions,
} from "./train.ts";
export {
  buildConnectome,
  checkRoi,
  CONNECTOME_DEFAULTS,
  type ConnectomeNetwork,
  type ConnectomeOptions,
  type ConnectomeTable,
  connectomeTable,
  largestScc,
  type Roi,
  ROIS,
  sinkhornBalance,
  type SinkhornResult,
} from "./connectome.ts";
export { type CsvRecords, parseCsvRecords } from "./csv.ts";
export { spectrumJson, spectrumResultFromJson, spectrumResultJson } from "./spectrum_json.ts";
export {
  parseShard,
  type Shard,
  shardFolder,
  shardIndices,
  shardPath,
  SHARDS_FOLDER,
  slurmShard,
} from "./shard.ts";
export * from "./runs/schema.ts";
export {
  readRun,
  readTable,
  readTableRows,
  readTypeShares,
  rowsTable,
  type RunData,
  runFiles,
  type RunTables,
  type Table,
} from "./runs/read.ts";
export {
  checkMemory,
  CORE_MEMORY_BYTES,
  estimateRun,
  formatBytes,
  planRun,
  planText,
  type RunEstimate,
  type RunMemory,
  type RunPlan,
  type RunPlanInput,
} from "./run_plan.ts";
export { parseJson, stringifyJson } from "./json_numbers.ts";
export {
  covariantVectors,
  type CovariantVectorsOptions,
  type CovariantVectorsResult,
  VECTORS_DEFAULTS,
} from "./covariant_vectors.ts";
export { vectorsJson } from "./vectors_json.ts";
export { type VectorsRows, vectorsRows, vectorsTables } from "./vectors_tables.ts";
export {
  type Averaged,
  type ClvAngles,
  type Distribution,
  type FtleStats,
  type Localisation,
  QUANTILE_LEVELS,
  type TypeShares,
} from "./_clv_analysis.ts";
