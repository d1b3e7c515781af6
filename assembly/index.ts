// FlyStability core: the numerical kernels of rate-RNN Lyapunov spectra, in one SIMD module.
// Conventions (docs/design.md#3-model-and-conventions): W[post·ld + pre], h ← (1 − dt)h + dt·W φ(h),
// natural log, time in units of the neuron time constant, exponents in QR column order. The
// interface (buffer ids, activation codes, memory ownership): docs/design.md#4-the-wasm-interface.
// Every kernel exists for f64 and f32 (suffix), instantiated from the same generic code. The host
// allocates a workspace, fills its buffers through `wsField` pointers, and steps it; nothing is
// copied across the boundary per step.

import { activate } from "./activation";
import { interval, orthonormalize, stateSteps, tangentSteps } from "./dynamics";
import { Adjoint, adjointBegin, adjointFlush, adjointFree, adjointQR, adjointStep } from "./adjoint";
import { freeWorkspace, newWorkspace, setSparse, Workspace } from "./workspace";

/** Allocates a workspace for n neurons and k tangent vectors in f64. */
export function wsNew_f64(n: i32, k: i32): usize {
  return newWorkspace<f64>(n, k);
}
/** Allocates a workspace for n neurons and k tangent vectors in f32. */
export function wsNew_f32(n: i32, k: i32): usize {
  return newWorkspace<f32>(n, k);
}
/** Frees a workspace (and its adjoint buffers). */
export function wsFree(ws: usize): void {
  adjointFree(ws);
  freeWorkspace(ws);
}

/** Switches to the CSR kernels for nnz nonzeros (nnz < 0: dense), buffers zeroed, to be filled (f64). */
export function wsSetSparse_f64(ws: usize, nnz: i32): void {
  setSparse<f64>(ws, nnz);
}
/** Switches to the CSR kernels for nnz nonzeros (nnz < 0: dense), buffers zeroed, to be filled (f32). */
export function wsSetSparse_f32(ws: usize, nnz: i32): void {
  setSparse<f32>(ws, nnz);
}

/** Allocates `bytes` bytes (16-byte aligned) for the host, e.g. a checkpoint tape. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}
/** Frees memory from {@link alloc}. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Sets the activation code (0 tanh, 1 tanh_stretched, 2 tanh_pos) and the time step. */
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
 * Address of a workspace buffer: 0 W, 1 h, 2 phi, 3 dphi, 4 gains, 5 shifts, 6 Q, 7 logs; of the
 * adjoint (after adjointBegin): 8 hbar, 9 Qbar, 10 Wbar (dense mode), 11 gbar, 12 sbar; of sparse
 * mode (after wsSetSparse): 13 rowPtr, 14 colIdx, 15 values (CSR of W), 16 rowPtrT, 17 colIdxT,
 * 18 valuesT (CSR of Wᵀ), 19 W̄ on W's nonzeros (CSR order).
 */
export function wsField(ws: usize, field: i32): usize {
  const w = changetype<Workspace>(ws);
  switch (field) {
    case 0:
      return w.W;
    case 1:
      return w.h;
    case 2:
      return w.phi;
    case 3:
      return w.dphi;
    case 4:
      return w.gains;
    case 5:
      return w.shifts;
    case 6:
      return w.Q;
    case 7:
      return w.logs;
    case 13:
      return w.rowPtr;
    case 14:
      return w.colIdx;
    case 15:
      return w.values;
    case 16:
      return w.rowPtrT;
    case 17:
      return w.colIdxT;
    case 18:
      return w.valuesT;
    case 19:
      return w.Wbs;
  }
  if (w.adj == 0) return 0;
  const ad = changetype<Adjoint>(w.adj);
  switch (field) {
    case 8:
      return ad.hbar;
    case 9:
      return ad.Qbar;
    case 10:
      return ad.Wbar;
    case 11:
      return ad.gbar;
    case 12:
      return ad.sbar;
  }
  return 0;
}

/** φ and φ' at the current state into the phi and dphi buffers (f64). */
export function activate_f64(ws: usize): void {
  const w = changetype<Workspace>(ws);
  activate<f64>(w.n, w.act, w.h, w.gains, w.shifts, w.phi, w.dphi);
}
/** φ and φ' at the current state into the phi and dphi buffers (f32). */
export function activate_f32(ws: usize): void {
  const w = changetype<Workspace>(ws);
  activate<f32>(w.n, w.act, w.h, w.gains, w.shifts, w.phi, w.dphi);
}

/** `steps` state steps (f64). */
export function stateSteps_f64(ws: usize, steps: i32): void {
  stateSteps<f64>(ws, steps);
}
/** `steps` state steps (f32). */
export function stateSteps_f32(ws: usize, steps: i32): void {
  stateSteps<f32>(ws, steps);
}
/** `steps` state + tangent steps (f64). */
export function tangentSteps_f64(ws: usize, steps: i32): void {
  tangentSteps<f64>(ws, steps);
}
/** `steps` state + tangent steps (f32). */
export function tangentSteps_f32(ws: usize, steps: i32): void {
  tangentSteps<f32>(ws, steps);
}
/** QR of the frame, logs = log|R_jj|; with R ≠ 0 the factor R too (k×k column-major) (f64). */
export function orthonormalize_f64(ws: usize, R: usize): void {
  orthonormalize<f64>(ws, R);
}
/** QR of the frame, logs = log|R_jj|; with R ≠ 0 the factor R too (k×k column-major) (f32). */
export function orthonormalize_f32(ws: usize, R: usize): void {
  orthonormalize<f32>(ws, R);
}
/** `steps` tangent steps then QR (f64). */
export function interval_f64(ws: usize, steps: i32): void {
  interval<f64>(ws, steps);
}
/** `steps` tangent steps then QR (f32). */
export function interval_f32(ws: usize, steps: i32): void {
  interval<f32>(ws, steps);
}

/** Starts a backward pass: adjoint buffers allocated (once) and zeroed, Wᵀ stored (f64). */
export function adjointBegin_f64(ws: usize): void {
  adjointBegin<f64>(ws);
}
/** Starts a backward pass: adjoint buffers allocated (once) and zeroed, Wᵀ stored (f32). */
export function adjointBegin_f32(ws: usize): void {
  adjointBegin<f32>(ws);
}
/** One step backwards at the stored state hT and frame QT (f64). */
export function adjointStep_f64(ws: usize, hT: usize, QT: usize, tangent: i32): void {
  adjointStep<f64>(ws, hT, QT, tangent);
}
/** One step backwards at the stored state hT and frame QT (f32). */
export function adjointStep_f32(ws: usize, hT: usize, QT: usize, tangent: i32): void {
  adjointStep<f32>(ws, hT, QT, tangent);
}
/** One QR backwards with its outputs Qp, R and c = ∂L/∂log|R_jj| (f64). */
export function adjointQR_f64(ws: usize, Qp: usize, R: usize, c: usize): void {
  adjointQR<f64>(ws, Qp, R, c);
}
/** One QR backwards with its outputs Qp, R and c = ∂L/∂log|R_jj| (f32). */
export function adjointQR_f32(ws: usize, Qp: usize, R: usize, c: usize): void {
  adjointQR<f32>(ws, Qp, R, c);
}
/** Adds the buffered W̄ terms of the last steps into W̄ (before reading it) (f64). */
export function adjointFlush_f64(ws: usize): void {
  adjointFlush<f64>(ws);
}
/** Adds the buffered W̄ terms of the last steps into W̄ (before reading it) (f32). */
export function adjointFlush_f32(ws: usize): void {
  adjointFlush<f32>(ws);
}
