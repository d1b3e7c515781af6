/**
 * The low-level interface to the core: one network's state, tangent frame and buffers in the
 * module's memory, stepped in place. `lyapunovSpectrum` is built on it; sweeps and training
 * loops reuse one workspace instead of reallocating per call.
 *
 * @module
 */

import { ActivationCode, Field, PrecisionCode } from "../assembly/abi.ts";
import { countConnections, type Network, neuronParameters } from "./network.ts";

/** Floating-point precision of the kernels. */
export type Precision = "f64" | "f32";

/** Kernels of the steps: dense (W as an n×n matrix), sparse (CSR), or chosen from the density. */
export type Kernels = "auto" | "dense" | "sparse";

/**
 * With kernels "auto", the density (nonzeros / n²) below which the sparse kernels are used, by
 * number of exponents: `[nle, density]` rows, the last row whose nle is ≤ the frame's columns
 * applies. Measured by `deno task bench:sparse` (tangent step, f64, n = 400 and 1000): sparse and
 * dense break even at density 0.13–0.16 for nle 1, about 0.3 for nle 10–20 and 0.49–0.52 for
 * nle 50 (the dense kernels gain more from wide frames); the thresholds sit at or a little below.
 */
export const SPARSE_DENSITY: readonly (readonly [number, number])[] = Object.freeze(
  [
    [1, 0.15],
    [10, 0.3],
    [50, 0.45],
  ] as const,
);

/**
 * The kernels a workspace with `nle` frame columns uses for `net` when asked for `kernels`
 * (auto: by {@linkcode SPARSE_DENSITY}).
 */
export function chooseKernels(net: Network, nle: number, kernels: Kernels = "auto"): "dense" | "sparse" {
  if (kernels === "dense" || kernels === "sparse") return kernels;
  if (kernels !== "auto") {
    throw new RangeError(`Unknown kernels "${kernels}": expected auto, dense or sparse`);
  }
  return autoKernels(countConnections(net), net.n, nle);
}

/** The kernels "auto" takes for `nnz` nonzero weights of n×n and `nle` frame columns ({@linkcode SPARSE_DENSITY}). */
export function autoKernels(nnz: number, n: number, nle: number): "dense" | "sparse" {
  const threshold = SPARSE_DENSITY.filter(([k]) => k <= Math.max(1, nle)).at(-1)![1];
  return nnz < threshold * n * n ? "sparse" : "dense";
}

/** The raw exports of the core module (see assembly/index.ts; ids and codes from assembly/abi.ts). */
export interface CoreExports {
  memory: WebAssembly.Memory;
  wsNew(n: number, k: number, precision: PrecisionCode): number;
  wsFree(ws: number): void;
  wsConfigure(ws: number, act: ActivationCode, dt: number): void;
  wsLd(ws: number): number;
  wsField(ws: number, field: Field): number;
  wsSetSparse(ws: number, nnz: number): void;
  activate(ws: number): void;
  stateSteps(ws: number, steps: number): void;
  tangentSteps(ws: number, steps: number): void;
  orthonormalize(ws: number, R: number): void;
  interval(ws: number, steps: number): void;
  alloc(bytes: number): number;
  free(ptr: number): void;
  adjointBegin(ws: number): void;
  adjointStep(ws: number, hT: number, QT: number, tangent: number): void;
  adjointQR(ws: number, Qp: number, R: number, c: number): void;
  adjointFlush(ws: number): void;
  clvSolve(ws: number, R: number, C: number): void;
  clvProduct(ws: number, V: number, Ct: number): void;
  wsSetTeam(ws: number, team: number): void;
  teamNew(threads: number): number;
  teamFail(team: number, tid: number): void;
  teamFailed(team: number): number;
  teamQuit(team: number): void;
  teamTrapNext(team: number, tid: number): void;
  teamSetSpin(team: number, polls: number): void;
  teamWorkerDied(team: number, tid: number): void;
  teamLost(team: number): number;
  teamStopWord(team: number): number;
}

/** A network's buffers in the core, for n neurons and a k-column tangent frame. */
export class Workspace {
  /** Number of neurons. */
  readonly n: number;
  /** Columns of the tangent frame (0: state only). */
  readonly k: number;
  /** Precision of every buffer and kernel. */
  readonly precision: Precision;
  /** Leading dimension of the buffers (n rounded up to a multiple of 4). */
  readonly ld: number;
  #x: CoreExports;
  #ptr: number;
  #kernels: "dense" | "sparse" = "dense";
  /** Row and column of each nonzero of W in CSR order (sparse kernels only). */
  #rows = new Int32Array(0);
  #cols = new Int32Array(0);

  /** Allocates the buffers (zeroed) in the core's memory. Call {@linkcode free} when done. */
  constructor(exports: CoreExports, n: number, k: number, precision: Precision = "f64") {
    if (precision !== "f64" && precision !== "f32") {
      throw new RangeError(`Unknown precision "${precision}": expected f64 or f32`);
    }
    this.#x = exports;
    this.n = n;
    this.k = k;
    this.precision = precision;
    this.#ptr = exports.wsNew(n, k, PrecisionCode[precision]);
    this.ld = exports.wsLd(this.#ptr);
  }

  #view(field: Field, length: number): Float64Array | Float32Array {
    if (this.#ptr === 0) throw new Error("Cannot use a freed workspace");
    const ptr = this.#x.wsField(this.#ptr, field);
    const buffer = this.#x.memory.buffer;
    return this.precision === "f64" || field === Field.logs
      ? new Float64Array(buffer, ptr, length)
      : new Float32Array(buffer, ptr, length);
  }

  /** Address of the workspace in the core's memory (0 once freed). */
  get pointer(): number {
    return this.#ptr;
  }

  /** The kernels of the steps and the adjoint, as chosen by the last {@linkcode setNetwork}. */
  get kernels(): "dense" | "sparse" {
    return this.#kernels;
  }

  /**
   * Writes the network: weights (zero-padded; with the sparse kernels also as CSR of W and Wᵀ),
   * per-neuron gains and shifts, activation, dt.
   */
  setNetwork(net: Network, dt: number, kernels: Kernels = "auto"): void {
    const { n, ld } = this;
    if (net.n !== n) throw new RangeError(`Network has n=${net.n}, workspace has n=${n}`);
    const W = this.#view(Field.W, ld * ld);
    for (let i = 0; i < n; i++) W.set(net.weights.subarray(i * n, (i + 1) * n), i * ld);
    this.#kernels = chooseKernels(net, this.k, kernels);
    if (this.#kernels === "sparse") this.#setCsr(net.weights);
    else {
      this.#x.wsSetSparse(this.#ptr, -1);
      this.#rows = this.#cols = new Int32Array(0);
    }
    const { gains, shifts } = neuronParameters(net);
    this.#view(Field.gains, n).set(gains);
    this.#view(Field.shifts, n).set(shifts);
    this.#x.wsConfigure(this.#ptr, ActivationCode[net.activation], dt);
  }

  /** Switches the core to the sparse kernels and writes W (n×n row-major) as CSR of W and of Wᵀ. */
  #setCsr(weights: Float64Array): void {
    const { n } = this;
    let nnz = 0;
    for (let i = 0; i < n * n; i++) if (weights[i] !== 0) nnz++;
    this.#x.wsSetSparse(this.#ptr, nnz);
    const buffer = this.#x.memory.buffer;
    const ints = (field: Field, length: number) =>
      new Int32Array(buffer, this.#x.wsField(this.#ptr, field), length);
    const rowPtr = ints(Field.rowPtr, n + 1);
    const colIdx = ints(Field.colIdx, nnz);
    const values = this.#view(Field.values, nnz);
    const rowPtrT = ints(Field.rowPtrT, n + 1);
    const colIdxT = ints(Field.colIdxT, nnz);
    const valuesT = this.#view(Field.valuesT, nnz);
    this.#rows = new Int32Array(nnz);
    this.#cols = new Int32Array(nnz);
    let e = 0;
    for (let i = 0; i < n; i++) {
      rowPtr[i] = e;
      for (let j = 0; j < n; j++) {
        const w = weights[i * n + j];
        if (w === 0) continue;
        colIdx[e] = j;
        values[e] = w;
        this.#rows[e] = i;
        this.#cols[e] = j;
        e++;
        rowPtrT[j + 1]++;
      }
    }
    rowPtr[n] = e;
    for (let j = 0; j < n; j++) rowPtrT[j + 1] += rowPtrT[j];
    const next = rowPtrT.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
        const at = next[colIdx[e]]++;
        colIdxT[at] = i;
        valuesT[at] = values[e];
      }
    }
  }

  /** Sets the state h (length n). */
  setState(h: ArrayLike<number>): void {
    this.#view(Field.h, this.n).set(h);
  }

  /** A copy of the state h, in f64. */
  state(): Float64Array {
    return Float64Array.from(this.#view(Field.h, this.n));
  }

  /** Sets the tangent frame from an n×k row-major matrix (not necessarily orthonormal). */
  setFrame(q: ArrayLike<number>): void {
    const { n, k, ld } = this;
    const Q = this.#view(Field.Q, k * ld);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Q[j * ld + i] = q[i * k + j];
  }

  /** A copy of the tangent frame as an n×k row-major f64 matrix. */
  frame(): Float64Array {
    const { n, k, ld } = this;
    const Q = this.#view(Field.Q, k * ld);
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = Q[j * ld + i];
    return out;
  }

  /** Computes φ(h) and φ'(h) at the current state and returns copies of both. */
  activation(): { phi: Float64Array; dphi: Float64Array } {
    this.#x.activate(this.#ptr);
    return {
      phi: Float64Array.from(this.#view(Field.phi, this.n)),
      dphi: Float64Array.from(this.#view(Field.dphi, this.n)),
    };
  }

  /** Advances the state by `steps` steps (the frame is left alone). */
  stateSteps(steps: number): void {
    this.#x.stateSteps(this.#ptr, steps);
  }

  /** Advances state and frame by `steps` steps, without re-orthonormalising. */
  tangentSteps(steps: number): void {
    this.#x.tangentSteps(this.#ptr, steps);
  }

  /**
   * QR of the frame in place; returns log|R_jj| (a view, valid until the next call). With `R`
   * (an address from {@linkcode Workspace.alloc}) the factor R is stored there too.
   */
  orthonormalize(R = 0): Float64Array {
    this.#x.orthonormalize(this.#ptr, R);
    return this.#view(Field.logs, this.k) as Float64Array;
  }

  /** `steps` tangent steps then QR; returns log|R_jj| (a view, valid until the next call). */
  interval(steps: number): Float64Array {
    this.#x.interval(this.#ptr, steps);
    return this.#view(Field.logs, this.k) as Float64Array;
  }

  /**
   * C ← R⁻¹C for upper-triangular k×k f64 matrices (row-major, at addresses from
   * {@linkcode alloc}; only C's upper triangle is read and written), on the workspace's threads.
   */
  clvSolve(R: number, C: number): void {
    this.#x.clvSolve(this.#ptr, R, C);
  }

  /**
   * V ← V·C in place for an n×k f64 frame V (row-major) and an upper-triangular k×k C given
   * column by column at `Ct` (Ct[c·k + l] = C[l][c]), on the workspace's threads.
   */
  clvProduct(V: number, Ct: number): void {
    this.#x.clvProduct(this.#ptr, V, Ct);
  }

  /** Bytes of one element (8 in f64, 4 in f32). */
  get elementBytes(): number {
    return this.precision === "f64" ? 8 : 4;
  }

  /** Bytes of the state buffer (ld elements). */
  get stateBytes(): number {
    return this.ld * this.elementBytes;
  }

  /** Bytes of the frame buffer (k·ld elements). */
  get frameBytes(): number {
    return this.k * this.ld * this.elementBytes;
  }

  /** Allocates `bytes` bytes in the core's memory (for tapes and checkpoints); free with {@linkcode release}. */
  alloc(bytes: number): number {
    const ptr = this.#x.alloc(bytes);
    if (ptr === 0) throw new RangeError(`Cannot allocate ${bytes} bytes in the core's memory`);
    return ptr;
  }

  /** Frees memory from {@linkcode alloc}. */
  release(ptr: number): void {
    this.#x.free(ptr);
  }

  /** Copies the state (to = true: into `ptr`; false: from `ptr`). */
  copyState(ptr: number, to: boolean): void {
    this.#copy(this.#x.wsField(this.#ptr, Field.h), ptr, this.stateBytes, to);
  }

  /** Copies the frame (to = true: into `ptr`; false: from `ptr`). */
  copyFrame(ptr: number, to: boolean): void {
    this.#copy(this.#x.wsField(this.#ptr, Field.Q), ptr, this.frameBytes, to);
  }

  #copy(field: number, ptr: number, bytes: number, to: boolean): void {
    const mem = new Uint8Array(this.#x.memory.buffer);
    if (to) mem.copyWithin(ptr, field, field + bytes);
    else mem.copyWithin(field, ptr, ptr + bytes);
  }

  /** Starts a backward pass: every cotangent and gradient set to zero. */
  adjointBegin(): void {
    this.#x.adjointBegin(this.#ptr);
  }

  /** One step backwards at the stored state `hT` and frame `QT` (tangent = false: transient step). */
  adjointStep(hT: number, QT: number, tangent: boolean): void {
    this.#x.adjointStep(this.#ptr, hT, QT, tangent ? 1 : 0);
  }

  /** One QR backwards: its output frame `Qp`, factor `R`, and `c` (k f64) = ∂L/∂log|R_jj|. */
  adjointQR(Qp: number, R: number, c: number): void {
    this.#x.adjointQR(this.#ptr, Qp, R, c);
  }

  /**
   * After a backward pass (its buffered W̄ terms added first): ∂L/∂W (n×n row-major; every entry
   * with the dense kernels, only the nonzeros of W with the sparse ones, 0 elsewhere), ∂L/∂gain
   * and ∂L/∂shift per neuron.
   */
  adjointGradients(): { weights: Float64Array; gains: Float64Array; shifts: Float64Array } {
    this.#x.adjointFlush(this.#ptr);
    const { n, ld } = this;
    const weights = new Float64Array(n * n);
    if (this.#kernels === "sparse") {
      const Wbs = this.#view(Field.Wbs, this.#rows.length);
      for (let e = 0; e < Wbs.length; e++) weights[this.#rows[e] * n + this.#cols[e]] = Wbs[e];
    } else {
      const Wbar = this.#view(Field.Wbar, ld * ld);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) weights[i * n + j] = Wbar[i * ld + j];
    }
    return {
      weights,
      gains: Float64Array.from(this.#view(Field.gbar, n)),
      shifts: Float64Array.from(this.#view(Field.sbar, n)),
    };
  }

  /**
   * A view of `length` values of the workspace's precision (f64 or f32) at `ptr` in the core's
   * memory (valid until it grows), e.g. a factor R stored by {@linkcode orthonormalize}.
   */
  elementView(ptr: number, length: number): Float64Array | Float32Array {
    const buffer = this.#x.memory.buffer;
    return this.precision === "f64"
      ? new Float64Array(buffer, ptr, length)
      : new Float32Array(buffer, ptr, length);
  }

  /** A view of `length` f64 values at `ptr` in the core's memory (valid until it grows). */
  f64View(ptr: number, length: number): Float64Array {
    return new Float64Array(this.#x.memory.buffer, ptr, length);
  }

  /** Releases the buffers; the workspace cannot be used afterwards. */
  free(): void {
    if (this.#ptr !== 0) this.#x.wsFree(this.#ptr);
    this.#ptr = 0;
  }
}
