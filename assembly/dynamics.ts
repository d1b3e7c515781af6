// Time stepping of one workspace (docs/design.md#3-model-and-conventions), at the pre-update state h_t:
//   h ← (1 − dt)·h + dt·W φ(h)                       (state step)
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)                (tangent step)
// The state always goes through matvec1 (or matvec2 with the one-column frame, which sums each
// row in the same order), so the trajectory has the same bits for every k and every QR interval.
// In sparse mode (ws.sparse) the same steps go through the CSR kernels of assembly/sparse.ts:
// the state through csrMatvec, the frame packed row-major (φ' ⊙ Q) and multiplied by csrProduct,
// for every k (the state still the same bits for every k).
// With a team (assembly/team.ts), thread tid of nt computes the rows [r0, r1) of every output
// (units of ROW_UNIT rows): φ, the packed frame, the state and the frame; barriers separate
// the phases that read other threads' rows. Each row is computed as with one thread.

import { activate } from "./activation";
import { matvec1, matvec2 } from "./matvec";
import { householderQR } from "./qr";
import { csrMatvec, csrProduct, packRows } from "./sparse";
import { barrier, partStart, ROW_UNIT } from "./team";
import { pack, panelProduct } from "./tangent";
import { Workspace } from "./workspace";

/** φ and φ' of rows [r0, r1) at the current state. */
// @ts-ignore: decorator
@inline function activateRows<T>(ws: Workspace, r0: i32, r1: i32): void {
  const at = <usize>r0 << alignof<T>();
  activate<T>(r1 - r0, ws.act, ws.h + at, ws.gains + at, ws.shifts + at, ws.phi + at, ws.dphi + at);
}

/** h ← a·h + b·W φ for rows [r0, r1). */
// @ts-ignore: decorator
@inline function stateRows<T>(ws: Workspace, r0: i32, r1: i32, a: T, b: T): void {
  const at = <usize>r0 << alignof<T>();
  if (ws.sparse) {
    csrMatvec<T>(r1 - r0, ws.rowPtr + (<usize>r0 << 2), ws.colIdx, ws.values, ws.phi, ws.h + at, ws.h + at, a, b);
  } else {
    matvec1<T>(r1 - r0, ws.ld, ws.W + <usize>r0 * (<usize>ws.ld << alignof<T>()), ws.phi, ws.h + at, ws.h + at, a, b);
  }
}

/** Runs `steps` state steps (thread tid of nt; team 0: alone). */
export function stateSteps<T>(ptr: usize, steps: i32, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  const a = <T>(1 - ws.dt);
  const b = <T>ws.dt;
  const r0 = partStart(ws.n, ROW_UNIT, tid, nt);
  const r1 = partStart(ws.n, ROW_UNIT, tid + 1, nt);
  for (let s = 0; s < steps; s++) {
    activateRows<T>(ws, r0, r1);
    barrier(team);
    stateRows<T>(ws, r0, r1, a, b);
    barrier(team);
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
  const r0 = partStart(n, ROW_UNIT, tid, nt);
  const r1 = partStart(n, ROW_UNIT, tid + 1, nt);
  // Rows of the ld-row buffers (padding included) and of W's row blocks.
  const l0 = partStart(ld, ROW_UNIT, tid, nt);
  const l1 = partStart(ld, ROW_UNIT, tid + 1, nt);
  const at = <usize>r0 << sh;
  for (let s = 0; s < steps; s++) {
    activateRows<T>(ws, r0, r1);
    if (ws.sparse) {
      const kp = ws.kp;
      packRows<T>(r1 - r0, ld, ws.k, kp, 0, ws.dphi + at, ws.Q + at, ws.Xr + <usize>r0 * (<usize>kp << sh));
      barrier(team);
      const y = ws.y + <usize>tid * (<usize>kp << sh);
      csrProduct<T>(r1 - r0, ld, ws.k, kp, ws.rowPtr + (<usize>r0 << 2), ws.colIdx, ws.values, ws.Xr, y, ws.Q + at, a, b);
    } else if (ws.k == 1) {
      for (let i = r0; i < r1; i++) {
        const o = <usize>i << sh;
        store<T>(ws.X + o, load<T>(ws.dphi + o) * load<T>(ws.Q + o));
      }
      barrier(team);
      const row = <usize>ld << sh;
      matvec2<T>(r1 - r0, ld, ws.W + <usize>r0 * row, ws.phi, ws.h + at, ws.h + at, ws.X, ws.Q + at, ws.Q + at, a, b);
    } else {
      pack<T>(l0, l1, n, ld, ws.k, ws.panels, ws.dphi, ws.Q, ws.X);
      barrier(team);
      panelProduct<T>(l0, l1, ld, ws.k, ws.panels, ws.W, ws.X, ws.Q, a, b);
    }
    if (ws.sparse || ws.k != 1) stateRows<T>(ws, r0, r1, a, b);
    barrier(team);
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
  orthonormalize<T>(ptr, 0, tid, nt, team);
}
