// FlyStability core: the numerical kernels of rate-RNN Lyapunov spectra, in one SIMD module.
// Conventions (DESIGN §3): W[post·ld + pre], h ← (1 − dt)h + dt·W φ(h), natural log, time in
// units of the neuron time constant, exponents in QR column order. Every kernel exists for
// f64 and f32 (suffix), instantiated from the same generic code. The host allocates a
// workspace, fills its buffers through `wsField` pointers, and steps it; nothing is copied
// across the boundary per step.

import { activate } from "./activation";
import { interval, orthonormalize, stateSteps, tangentSteps } from "./dynamics";
import { freeWorkspace, newWorkspace, Workspace } from "./workspace";

/** Allocates a workspace for n neurons and k tangent vectors in f64. */
export function wsNew_f64(n: i32, k: i32): usize {
  return newWorkspace<f64>(n, k);
}
/** Allocates a workspace for n neurons and k tangent vectors in f32. */
export function wsNew_f32(n: i32, k: i32): usize {
  return newWorkspace<f32>(n, k);
}
/** Frees a workspace. */
export function wsFree(ws: usize): void {
  freeWorkspace(ws);
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

/** Address of a workspace buffer: 0 W, 1 h, 2 phi, 3 dphi, 4 gains, 5 shifts, 6 Q, 7 logs. */
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
/** QR of the frame, logs = log|R_jj| (f64). */
export function orthonormalize_f64(ws: usize): void {
  orthonormalize<f64>(ws);
}
/** QR of the frame, logs = log|R_jj| (f32). */
export function orthonormalize_f32(ws: usize): void {
  orthonormalize<f32>(ws);
}
/** `steps` tangent steps then QR (f64). */
export function interval_f64(ws: usize, steps: i32): void {
  interval<f64>(ws, steps);
}
/** `steps` tangent steps then QR (f32). */
export function interval_f32(ws: usize, steps: i32): void {
  interval<f32>(ws, steps);
}
