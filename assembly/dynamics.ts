// Time stepping of one workspace (docs/design.md#3-model-and-conventions), at the pre-update state h_t:
//   h ← (1 − dt)·h + dt·W φ(h)                       (state step)
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)                (tangent step)
// The state always goes through matvec1 (or matvec2 with the one-column frame, which sums each
// row in the same order), so the trajectory has the same bits for every k and every QR interval.
// In sparse mode (ws.sparse) the same steps go through the CSR kernels of assembly/sparse.ts:
// the state through csrMatvec, the frame packed row-major (φ' ⊙ Q) and multiplied by csrProduct,
// for every k (the state still the same bits for every k).
// With a team (assembly/team.ts), thread tid of nt computes the rows [r0, r1) of every output
// (dense: units of ROW_UNIT rows; sparse: rows balanced by nonzeros, see sparseRows): φ, the
// packed frame, the state and the frame. Each row is computed as with one thread. One barrier
// per step: after it every thread reads every row of φ (and of the packed frame); the next
// step writes the other copy (ws.phi2, ws.dphi2, ws.X2, ws.Xr2), so nobody overwrites what a
// slower thread may still read, and the copy of the last step is always the first one (ws.phi,
// ...), where one thread leaves its values. A thread reads and writes only its own rows of h
// and Q, so nothing else needs a barrier; the job's end (join) or the QR's first barrier
// waits for the last step.

import { activate } from "./activation";
import { matvec1, matvec2 } from "./matvec";
import { householderQR } from "./qr";
import { csrMatvec, csrProduct, packRows, sparseRows } from "./sparse";
import { barrier, partStart, ROW_UNIT } from "./team";
import { pack, panelProduct } from "./tangent";
import { rowBuffer, Workspace } from "./workspace";

/**
 * Which copy step s of `steps` writes: the first (`first`) alone, and for the last step and
 * every second one before it; the alternate (`second`, a team's) for the others.
 */
// @ts-ignore: decorator
@inline function copyFor(ws: Workspace, s: i32, steps: i32, first: usize, second: usize): usize {
  return ws.phi2 != 0 && ((steps - 1 - s) & 1) != 0 ? second : first;
}

/** Thread tid's rows [r0, r1) of n: balanced by nonzeros in sparse mode, in row units if dense. */
// @ts-ignore: decorator
@inline function rowStart(ws: Workspace, tid: i32, nt: i32): i32 {
  if (ws.sparse) return sparseRows(ws.n, ws.rowPtr, tid, nt);
  return partStart(ws.n, ROW_UNIT, tid, nt);
}

/** φ and φ' of rows [r0, r1) at the current state. */
// @ts-ignore: decorator
@inline function activateRows<T>(ws: Workspace, r0: i32, r1: i32, phi: usize, dphi: usize): void {
  const at = <usize>r0 << alignof<T>();
  activate<T>(r1 - r0, ws.act, ws.h + at, ws.gains + at, ws.shifts + at, phi + at, dphi + at);
}

/** h ← a·h + b·W φ for rows [r0, r1). */
// @ts-ignore: decorator
@inline function stateRows<T>(ws: Workspace, r0: i32, r1: i32, phi: usize, a: T, b: T): void {
  const at = <usize>r0 << alignof<T>();
  if (ws.sparse) {
    csrMatvec<T>(r1 - r0, ws.rowPtr + (<usize>r0 << 2), ws.colIdx, ws.values, phi, ws.h + at, ws.h + at, a, b);
  } else {
    matvec1<T>(r1 - r0, ws.ld, ws.W + <usize>r0 * (<usize>ws.ld << alignof<T>()), phi, ws.h + at, ws.h + at, a, b);
  }
}

/** Runs `steps` state steps (thread tid of nt; team 0: alone). */
export function stateSteps<T>(ptr: usize, steps: i32, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  const a = <T>(1 - ws.dt);
  const b = <T>ws.dt;
  const r0 = rowStart(ws, tid, nt);
  const r1 = rowStart(ws, tid + 1, nt);
  for (let s = 0; s < steps; s++) {
    const phi = copyFor(ws, s, steps, ws.phi, ws.phi2);
    activateRows<T>(ws, r0, r1, phi, copyFor(ws, s, steps, ws.dphi, ws.dphi2));
    barrier(team);
    stateRows<T>(ws, r0, r1, phi, a, b);
  }
}
/** Runs `steps` state and tangent steps of the k-column frame (thread tid of nt). */
export function tangentSteps<T>(ptr: usize, steps: i32, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  const a = <T>(1 - ws.dt);
  const b = <T>ws.dt;
  const n = ws.n;
  const ld = ws.ld;
  const sh = alignof<T>();
  const r0 = rowStart(ws, tid, nt);
  const r1 = rowStart(ws, tid + 1, nt);
  // Rows of the ld-row buffers (padding included) and of W's row blocks.
  const l0 = partStart(ld, ROW_UNIT, tid, nt);
  const l1 = partStart(ld, ROW_UNIT, tid + 1, nt);
  const at = <usize>r0 << sh;
  for (let s = 0; s < steps; s++) {
    const phi = copyFor(ws, s, steps, ws.phi, ws.phi2);
    const dphi = copyFor(ws, s, steps, ws.dphi, ws.dphi2);
    activateRows<T>(ws, r0, r1, phi, dphi);
    if (ws.sparse) {
      const kp = ws.kp;
      const Xr = copyFor(ws, s, steps, ws.Xr, ws.Xr2);
      packRows<T>(r1 - r0, ld, ws.k, kp, 0, dphi + at, ws.Q + at, Xr + <usize>r0 * (<usize>kp << sh));
      barrier(team);
      const y = rowBuffer<T>(ws, tid);
      csrProduct<T>(r1 - r0, ld, ws.k, kp, ws.rowPtr + (<usize>r0 << 2), ws.colIdx, ws.values, Xr, y, ws.Q + at, a, b);
      stateRows<T>(ws, r0, r1, phi, a, b);
    } else if (ws.k == 1) {
      const X = copyFor(ws, s, steps, ws.X, ws.X2);
      for (let i = r0; i < r1; i++) {
        const o = <usize>i << sh;
        store<T>(X + o, load<T>(dphi + o) * load<T>(ws.Q + o));
      }
      barrier(team);
      const row = <usize>ld << sh;
      matvec2<T>(r1 - r0, ld, ws.W + <usize>r0 * row, phi, ws.h + at, ws.h + at, X, ws.Q + at, ws.Q + at, a, b);
    } else {
      const X = copyFor(ws, s, steps, ws.X, ws.X2);
      pack<T>(l0, l1, n, ld, ws.k, ws.panels, dphi, ws.Q, X);
      barrier(team);
      panelProduct<T>(l0, l1, ld, ws.k, ws.panels, ws.W, X, ws.Q, a, b);
      stateRows<T>(ws, r0, r1, phi, a, b);
    }
  }
}

/** Orthonormalises the frame; logs[j] = log|R_jj|; with R ≠ 0 also the factor R (k×k). */
export function orthonormalize<T>(ptr: usize, R: usize, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  householderQR<T>(ws.n, ws.ld, ws.k, ws.Q, ws.v, ws.tau, ws.logs, R, tid, nt, team);
}

/** One re-orthonormalisation interval: `steps` tangent steps, then QR. */
export function interval<T>(ptr: usize, steps: i32, tid: i32, nt: i32, team: usize): void {
  tangentSteps<T>(ptr, steps, tid, nt, team);
  barrier(team); // every row of the frame stepped
  orthonormalize<T>(ptr, 0, tid, nt, team);
}
