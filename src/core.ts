/**
 * Loading the WebAssembly core, the same module in Deno, in Workers and in the browser.
 *
 * @module
 */

import { instantiate } from "@assemblyscript/loader";
import { ActivationCode, Field, PrecisionCode } from "../assembly/abi.ts";
import {
  covariantVectors,
  type CovariantVectorsOptions,
  type CovariantVectorsResult,
} from "./covariant_vectors.ts";
import { lyapunovSpectrum, type LyapunovSpectrumOptions, type SpectrumResult } from "./lyapunov_spectrum.ts";
import type { LossName } from "./losses.ts";
import type { Network } from "./network.ts";
import {
  type SpectrumGradient,
  spectrumGradient,
  type SpectrumGradientOptions,
} from "./spectrum_gradient.ts";
import { STOPPED, type StopSignal, type TeamOptions, ThreadTeam } from "./thread_team.ts";
import { type CoreExports, type Precision, Workspace } from "./workspace.ts";

/** Where the core comes from: its bytes, a URL, or an already compiled module. */
export type CoreSource = BufferSource | URL | string | WebAssembly.Module;

/** URL of the built module, relative to this file. */
export const CORE_URL: URL = new URL("../build/flybrain.wasm", import.meta.url);

/** URL of the threads build (shared memory, atomics), relative to this file. */
export const THREADS_CORE_URL: URL = new URL("../build/flybrain_threads.wasm", import.meta.url);

/** Most threads one core may run (the core's per-thread buffers are sized for them). */
export const MAX_THREADS = 64;

/** Options of {@linkcode loadCore}. */
export interface LoadCoreOptions {
  /**
   * Threads computing each workspace together (bit-identical results for any number). With more
   * than one, the core is the threads build on a shared memory with T − 1 Workers: call
   * {@linkcode Core.close} when done.
   * @default 1
   */
  threads?: number;
  /** How the team's Workers start and end (with `threads` > 1). */
  team?: TeamOptions;
}

/** An instantiated core: kernels in one module's memory, and the algorithms over them. */
export class Core {
  /** The compiled module (can be posted to Workers and instantiated again). */
  readonly module: WebAssembly.Module;
  /** The raw exports of the instance. */
  readonly exports: CoreExports;
  #team: ThreadTeam | undefined;

  /** Wraps an instance of the core module; use {@linkcode loadCore} to create one. */
  constructor(module: WebAssembly.Module, exports: CoreExports, team?: ThreadTeam) {
    this.module = module;
    this.exports = exports;
    this.#team = team;
  }

  /** Threads computing each workspace (1: the calling thread alone). */
  get threads(): number {
    return this.#team?.threads ?? 1;
  }

  /** The team of a threaded core (undefined with one thread). */
  get team(): ThreadTeam | undefined {
    return this.#team;
  }

  /**
   * What stops this core's computations from another thread (`stopComputation`):
   * threaded cores only (a single-threaded core shares no memory).
   */
  get stopSignal(): StopSignal | undefined {
    return this.#team &&
      { memory: this.#team.memory, address: this.exports.teamStopWord(this.#team.pointer) };
  }

  /** A new workspace for n neurons and a k-column frame (free it when done). */
  workspace(n: number, k: number, precision: Precision = "f64"): Workspace {
    const ws = new Workspace(this.exports, n, k, precision);
    if (this.#team) this.exports.wsSetTeam(ws.pointer, this.#team.pointer);
    return ws;
  }

  /**
   * Ends the threads of a threaded core (no-op for one thread): they leave the core and their
   * Workers are terminated (or left to the host that started them, `team.host`); the core cannot
   * compute afterwards.
   */
  close(): void {
    if (!this.#team) return;
    this.exports.teamQuit(this.#team.pointer);
    this.#team.terminate();
  }

  /** A loss on the spectrum and its exact gradient (see {@linkcode spectrumGradient}). */
  spectrumGradient(net: Network, loss: LossName, options: SpectrumGradientOptions): SpectrumGradient {
    return spectrumGradient(this, net, loss, options);
  }

  /** Covariant Lyapunov vectors of a network and their analyses (see {@linkcode covariantVectors}). */
  covariantVectors(net: Network, options?: CovariantVectorsOptions): CovariantVectorsResult {
    return covariantVectors(this, net, options);
  }

  /** Lyapunov spectrum of a network (see {@linkcode lyapunovSpectrum}). */
  lyapunovSpectrum(net: Network, options?: LyapunovSpectrumOptions): SpectrumResult {
    return lyapunovSpectrum(this, net, options);
  }
}

/** The enums of assembly/abi.ts, by the name the module exports them under. */
const ABI_ENUMS: Readonly<Record<string, Record<string, string | number>>> = Object.freeze({
  Field,
  ActivationCode,
  PrecisionCode,
});

/**
 * Differences between a core instance's exported ids and codes (globals such as `Field.W`) and
 * the values of assembly/abi.ts that the library uses, one line each (empty: they agree).
 */
export function abiMismatches(exports: WebAssembly.Exports): string[] {
  const found: string[] = [];
  for (const [enumName, members] of Object.entries(ABI_ENUMS)) {
    for (const [name, value] of Object.entries(members)) {
      if (typeof value !== "number") continue; // the reverse mapping of a numeric enum
      const global = exports[`${enumName}.${name}`];
      const actual = global instanceof WebAssembly.Global ? global.value : undefined;
      if (actual !== value) {
        found.push(`${enumName}.${name} is ${actual} in the module, ${value} in the library`);
      }
    }
  }
  return found;
}

/** The bytes of the module at a URL (`fetch` reads `file:` URLs in Deno, `http(s):` anywhere). */
async function readSource(source: URL): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(source);
  } catch (e) {
    throw new Error(`Cannot load the core from ${source}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new Error(`Cannot load the core from ${source}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function compile(source: CoreSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  const bytes = typeof source === "string" || source instanceof URL
    ? await readSource(new URL(source, import.meta.url))
    : source;
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new Error(
      `Cannot load the core: ${(e as Error).message}. Build it first with \`deno task build\``,
    );
  }
}

/** Whether a compiled core is the threads build (it imports a shared memory). */
export function isThreadsBuild(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.kind === "memory");
}

function checkAbi(exports: WebAssembly.Exports): void {
  const mismatches = abiMismatches(exports);
  if (mismatches.length > 0) {
    throw new Error(
      `Cannot load the core: its interface differs from assembly/abi.ts (${mismatches.join("; ")}). ` +
        "Rebuild it with `deno task build`",
    );
  }
}

/**
 * Kernel calls of a threaded core that end the team when one of its threads fails, its Worker
 * dies or another thread stops it: the failing thread (or the stop) is reported, every other
 * thread stops waiting, the Workers end.
 */
function guardTeam(exports: CoreExports, team: ThreadTeam): CoreExports {
  const guarded: Record<string, unknown> = { memory: exports.memory };
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value !== "function") {
      guarded[name] = value;
      continue;
    }
    guarded[name] = (...args: number[]) => {
      try {
        return value(...args);
      } catch (e) {
        const failed = exports.teamFailed(team.pointer);
        const lost = exports.teamLost(team.pointer);
        exports.teamFail(team.pointer, 0);
        team.terminate();
        if (failed === STOPPED) throw new Error("The computation was stopped");
        const who = failed > 0 ? `thread ${failed - 1}` : "thread 0";
        const why = lost > 0 && lost === failed ? "its Worker died" : (e as Error).message;
        throw new Error(`The core failed in ${who} of ${team.threads} (${why}); its threads were stopped`);
      }
    };
  }
  return guarded as unknown as CoreExports;
}

/**
 * Compiles (if needed) and instantiates the core: the single-threaded build by default, the
 * threads build with `threads` > 1 (a source given must then be the threads build).
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * const core = await loadCore();
 * ok(core.module instanceof WebAssembly.Module);
 * const threaded = await loadCore(undefined, { threads: 2 });
 * equal(threaded.threads, 2);
 * threaded.close();
 * ```
 */
export async function loadCore(source?: CoreSource, options: LoadCoreOptions = {}): Promise<Core> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(
      `Cannot load the core: threads must be an integer from 1 to ${MAX_THREADS}, got ${threads}`,
    );
  }
  const module = await compile(source ?? (threads > 1 ? THREADS_CORE_URL : CORE_URL));
  if (!isThreadsBuild(module)) {
    if (threads > 1) throw new RangeError("Cannot run threads on the single-threaded build of the core");
    const instance = await instantiate<CoreExports & Record<string, unknown>>(module, {});
    checkAbi(instance.instance.exports);
    return new Core(module, instance.exports as unknown as CoreExports);
  }
  const memory = new WebAssembly.Memory({ initial: 16, maximum: SHARED_PAGES, shared: true });
  const instance = await instantiate<CoreExports & Record<string, unknown>>(module, { env: { memory } });
  checkAbi(instance.instance.exports);
  const exports = instance.exports as unknown as CoreExports;
  if (threads === 1) return new Core(module, exports);
  const pointer = exports.teamNew(threads);
  let team: ThreadTeam;
  try {
    team = await ThreadTeam.start(module, memory, pointer, threads, options.team);
  } catch (e) {
    exports.teamQuit(pointer); // the Workers that started leave the core
    throw e;
  }
  return new Core(module, guardTeam(exports, team), team);
}

/** Maximum pages (64 KiB) of the threads build's shared memory (4 GiB, as the build declares). */
const SHARED_PAGES = 65536;
