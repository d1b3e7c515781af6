// FlyStability core: the numerical kernels of rate-RNN Lyapunov spectra, in one SIMD module.
// Conventions (docs/design.md#3-model-and-conventions): W[post·ld + pre], h ← (1 − dt)h + dt·W φ(h),
// natural log, time in units of the neuron time constant, exponents in QR column order. Every
// kernel is generic in its element type and instantiated for f64 and f32; each export takes a
// workspace and runs the instance of the workspace's precision (chosen at wsNew). The host
// allocates a workspace, fills its buffers through `wsField` pointers, and steps it; nothing is
// copied across the boundary per step. Buffer ids, activation and precision codes are the enums
// of assembly/abi.ts, re-exported here as globals so that the host can check them at load;
// docs/design.md#4-the-wasm-interface.

import { Field, PrecisionCode } from "./abi";
import { activate as activateT } from "./activation";
import { Job, run } from "./jobs";
import { Adjoint, adjointBegin as adjointBeginT, adjointFree } from "./adjoint";
import { freeWorkspace, newWorkspace, setSparse, setTeam, Workspace } from "./workspace";

export { ActivationCode, Field, PrecisionCode } from "./abi";
export { teamWorker } from "./jobs";
export {
  teamFail,
  teamFailed,
  teamLost,
  teamNew,
  teamQuit,
  teamStopWord,
  teamSetSpin,
  teamTrapNext,
  teamWorkerDied,
} from "./team";

/** Whether the workspace at ws runs in f32. */
// @ts-ignore: decorator
@inline function single(ws: usize): bool {
  return changetype<Workspace>(ws).single != 0;
}

/** Allocates a workspace for n neurons and k tangent vectors in the given precision (PrecisionCode). */
export function wsNew(n: i32, k: i32, precision: i32): usize {
  return precision == PrecisionCode.f32 ? newWorkspace<f32>(n, k) : newWorkspace<f64>(n, k);
}
/** Frees a workspace (and its adjoint buffers). */
export function wsFree(ws: usize): void {
  adjointFree(ws);
  freeWorkspace(ws);
}

/**
 * Lets a team (from teamNew; 0: none) step the workspace: the step and QR kernels then run on
 * every thread of the team (threads build only).
 */
export function wsSetTeam(ws: usize, team: usize): void {
  if (single(ws)) setTeam<f32>(ws, team);
  else setTeam<f64>(ws, team);
}

/** Switches to the CSR kernels for nnz nonzeros (nnz < 0: dense), buffers zeroed, to be filled. */
export function wsSetSparse(ws: usize, nnz: i32): void {
  if (single(ws)) setSparse<f32>(ws, nnz);
  else setSparse<f64>(ws, nnz);
}

/** Allocates `bytes` bytes (16-byte aligned) for the host, e.g. a checkpoint tape. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}
/** Frees memory from {@link alloc}. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Sets the activation code (ActivationCode) and the time step. */
export function wsConfigure(ws: usize, act: i32, dt: f64): void {
  const w = changetype<Workspace>(ws);
  w.act = act;
  w.dt = dt;
}

/** Leading dimension (n rounded up to a multiple of 4) of a workspace's buffers. */
export function wsLd(ws: usize): i32 {
  return changetype<Workspace>(ws).ld;
}

/**
 * Address of a workspace buffer by its id (Field); adjoint buffers after adjointBegin, sparse
 * ones after wsSetSparse; 0 for an unknown id or a buffer not allocated.
 */
export function wsField(ws: usize, field: i32): usize {
  const w = changetype<Workspace>(ws);
  switch (field) {
    case Field.W:
      return w.W;
    case Field.h:
      return w.h;
    case Field.phi:
      return w.phi;
    case Field.dphi:
      return w.dphi;
    case Field.gains:
      return w.gains;
    case Field.shifts:
      return w.shifts;
    case Field.Q:
      return w.Q;
    case Field.logs:
      return w.logs;
    case Field.rowPtr:
      return w.rowPtr;
    case Field.colIdx:
      return w.colIdx;
    case Field.values:
      return w.values;
    case Field.rowPtrT:
      return w.rowPtrT;
    case Field.colIdxT:
      return w.colIdxT;
    case Field.valuesT:
      return w.valuesT;
    case Field.Wbs:
      return w.Wbs;
  }
  if (w.adj == 0) return 0;
  const ad = changetype<Adjoint>(w.adj);
  switch (field) {
    case Field.hbar:
      return ad.hbar;
    case Field.Qbar:
      return ad.Qbar;
    case Field.Wbar:
      return ad.Wbar;
    case Field.gbar:
      return ad.gbar;
    case Field.sbar:
      return ad.sbar;
  }
  return 0;
}

/** φ and φ' at the current state into the phi and dphi buffers. */
export function activate(ws: usize): void {
  const w = changetype<Workspace>(ws);
  if (single(ws)) activateT<f32>(w.n, w.act, w.h, w.gains, w.shifts, w.phi, w.dphi);
  else activateT<f64>(w.n, w.act, w.h, w.gains, w.shifts, w.phi, w.dphi);
}

/** `steps` state steps. */
export function stateSteps(ws: usize, steps: i32): void {
  run(Job.stateSteps, ws, steps, 0, 0, 0);
}
/** `steps` state + tangent steps. */
export function tangentSteps(ws: usize, steps: i32): void {
  run(Job.tangentSteps, ws, steps, 0, 0, 0);
}
/** QR of the frame, logs = log|R_jj|; with R ≠ 0 the factor R too (k×k column-major). */
export function orthonormalize(ws: usize, R: usize): void {
  run(Job.orthonormalize, ws, 0, R, 0, 0);
}
/** `steps` tangent steps then QR. */
export function interval(ws: usize, steps: i32): void {
  run(Job.interval, ws, steps, 0, 0, 0);
}

/** Starts a backward pass: adjoint buffers allocated (once) and zeroed, Wᵀ stored. */
export function adjointBegin(ws: usize): void {
  if (single(ws)) adjointBeginT<f32>(ws);
  else adjointBeginT<f64>(ws);
}
/** One step backwards at the stored state hT and frame QT. */
export function adjointStep(ws: usize, hT: usize, QT: usize, tangent: i32): void {
  run(Job.adjointStep, ws, tangent, hT, QT, 0);
}
/** One QR backwards with its outputs Qp, R and c = ∂L/∂log|R_jj|. */
export function adjointQR(ws: usize, Qp: usize, R: usize, c: usize): void {
  run(Job.adjointQR, ws, 0, Qp, R, c);
}
/** Adds the buffered W̄ terms of the last steps into W̄ (before reading it). */
export function adjointFlush(ws: usize): void {
  run(Job.adjointFlush, ws, 0, 0, 0, 0);
}

/** C ← R⁻¹C for the upper-triangular k×k f64 matrices at R and C (row-major), columns split among the team. */
export function clvSolve(ws: usize, R: usize, C: usize): void {
  run(Job.clvSolve, ws, 0, R, C, 0);
}
/** V ← V·C in place for the n×k f64 frame V (row-major) and upper-triangular C given column by column at Ct. */
export function clvProduct(ws: usize, V: usize, Ct: usize): void {
  run(Job.clvProduct, ws, 0, V, Ct, 0);
}
