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
import { type CoreExports, type Precision, Workspace } from "./workspace.ts";

/** Where the core comes from: its bytes, a URL, or an already compiled module. */
export type CoreSource = BufferSource | URL | string | WebAssembly.Module;

/** URL of the built module, relative to this file. */
export const CORE_URL: URL = new URL("../build/flybrain.wasm", import.meta.url);

/** An instantiated core: kernels in one module's memory, and the algorithms over them. */
export class Core {
  /** The compiled module (can be posted to Workers and instantiated again). */
  readonly module: WebAssembly.Module;
  /** The raw exports of the instance. */
  readonly exports: CoreExports;

  /** Wraps an instance of the core module; use {@linkcode loadCore} to create one. */
  constructor(module: WebAssembly.Module, exports: CoreExports) {
    this.module = module;
    this.exports = exports;
  }

  /** A new workspace for n neurons and a k-column frame (free it when done). */
  workspace(n: number, k: number, precision: Precision = "f64"): Workspace {
    return new Workspace(this.exports, n, k, precision);
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

/**
 * Compiles (if needed) and instantiates the core.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * const core = await loadCore();
 * ok(core.module instanceof WebAssembly.Module);
 * ```
 */
export async function loadCore(source: CoreSource = CORE_URL): Promise<Core> {
  let module: WebAssembly.Module;
  if (source instanceof WebAssembly.Module) {
    module = source;
  } else {
    const bytes = typeof source === "string" || source instanceof URL
      ? await readSource(new URL(source, import.meta.url))
      : source;
    try {
      module = await WebAssembly.compile(bytes);
    } catch (e) {
      throw new Error(
        `Cannot load the core: ${(e as Error).message}. Build it first with \`deno task build\``,
      );
    }
  }
  const instance = await instantiate<CoreExports & Record<string, unknown>>(module, {});
  const mismatches = abiMismatches(instance.instance.exports);
  if (mismatches.length > 0) {
    throw new Error(
      `Cannot load the core: its interface differs from assembly/abi.ts (${mismatches.join("; ")}). ` +
        "Rebuild it with `deno task build`",
    );
  }
  return new Core(module, instance.exports as unknown as CoreExports);
}
