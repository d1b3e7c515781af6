// Time stepping of one workspace (docs/design.md#3-model-and-conventions), at the pre-update state h_t:
//   h ← (1 − dt)·h + dt·W φ(h)                       (state step)
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)                (tangent step)
// The state always goes through matvec1 (or matvec2 with the one-column frame, which sums each
// row in the same order), so the trajectory has the same bits for every k and every QR interval.
// In sparse mode (ws.sparse) the same steps go through the CSR kernels of assembly/sparse.ts:
// the state through csrMatvec, the frame packed row-major (φ' ⊙ Q) and multiplied by csrProduct,
// for every k (the state still the same bits for every k).

import { activate } from "./activation";
import { matvec1, matvec2 } from "./matvec";
import { householderQR } from "./qr";
import { csrMatvec, csrProduct, packRows } from "./sparse";
import { pack, panelProduct } from "./tangent";
import { Workspace } from "./workspace";

/** Runs `steps` state steps. */
export function stateSteps<T>(ptr: usize, steps: i32): void {
  const ws = changetype<Workspace>(ptr);
  const a = <T>(1 - ws.dt);
  const b = <T>ws.dt;
  for (let s = 0; s < steps; s++) {
    activate<T>(ws.n, ws.act, ws.h, ws.gains, ws.shifts, ws.phi, ws.dphi);
    if (ws.sparse) csrMatvec<T>(ws.n, ws.rowPtr, ws.colIdx, ws.values, ws.phi, ws.h, ws.h, a, b);
    else matvec1<T>(ws.n, ws.ld, ws.W, ws.phi, ws.h, ws.h, a, b);
  }
}

/** Runs `steps` state and tangent steps of the k-column frame. */
export function tangentSteps<T>(ptr: usize, steps: i32): void {
  const ws = changetype<Workspace>(ptr);
  const a = <T>(1 - ws.dt);
  const b = <T>ws.dt;
  const n = ws.n;
  const sh = alignof<T>();
  for (let s = 0; s < steps; s++) {
    activate<T>(n, ws.act, ws.h, ws.gains, ws.shifts, ws.phi, ws.dphi);
    if (ws.sparse) {
      packRows<T>(n, ws.ld, ws.k, ws.kp, 0, ws.dphi, ws.Q, ws.Xr);
      csrProduct<T>(n, ws.ld, ws.k, ws.kp, ws.rowPtr, ws.colIdx, ws.values, ws.Xr, ws.y, ws.Q, a, b);
      csrMatvec<T>(n, ws.rowPtr, ws.colIdx, ws.values, ws.phi, ws.h, ws.h, a, b);
    } else if (ws.k == 1) {
      for (let i = 0; i < n; i++) {
        const at = <usize>i << sh;
        store<T>(ws.X + at, load<T>(ws.dphi + at) * load<T>(ws.Q + at));
      }
      matvec2<T>(n, ws.ld, ws.W, ws.phi, ws.h, ws.h, ws.X, ws.Q, ws.Q, a, b);
    } else {
      pack<T>(n, ws.ld, ws.k, ws.panels, ws.dphi, ws.Q, ws.X);
      panelProduct<T>(n, ws.ld, ws.k, ws.panels, ws.W, ws.X, ws.Q, a, b);
      matvec1<T>(n, ws.ld, ws.W, ws.phi, ws.h, ws.h, a, b);
    }
  }
}

/** Orthonormalises the frame; logs[j] = log|R_jj|; with R ≠ 0 also the factor R (k×k). */
export function orthonormalize<T>(ptr: usize, R: usize): void {
  const ws = changetype<Workspace>(ptr);
  householderQR<T>(ws.n, ws.ld, ws.k, ws.Q, ws.v, ws.tau, ws.logs, R);
}

/** One re-orthonormalisation interval: `steps` tangent steps, then QR. */
export function interval<T>(ptr: usize, steps: i32): void {
  tangentSteps<T>(ptr, steps);
  orthonormalize<T>(ptr, 0);
}
