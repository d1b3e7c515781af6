// Workspace of one model in the module's memory: every buffer a kernel touches, allocated once.
//
// Layout (T = f64 or f32, ld = n rounded up to a multiple of 4, padding always zero):
//   W       ld×ld row-major, W[post*ld + pre]
//   h, phi, dphi, gains, shifts      ld each
//   v       QR scratch, qrScratchLength(ld, k) elements (blocked Householder: V, S, T)
//   Q       k columns of ld (column-major N×k frame)
//   X       packed panels of the scaled frame, panels·ld·PW (at least ld)
//   tau     k reflector scalars (T);  logs  k values of log|R_jj| (f64)
//   adj     the adjoint buffers, allocated by adjointBegin (0 until then)
// Sparse mode (setSparse, assembly/sparse.ts), 0 until then:
//   rowPtr, colIdx, values       CSR of W (n + 1 i32, nnz i32, nnz T)
//   rowPtrT, colIdxT, valuesT    CSR of Wᵀ
//   Wbs     nnz values: the adjoint's W̄ on the nonzeros of W, in W's CSR order
//   Xr, Xb  ld×kp row-major packed frames, kp = k + 1 rounded up to the lanes;
//   y       kp values per thread of the team (row sums of csrProduct), each thread's on its own
//           cache lines
// team    the team of threads that steps it (assembly/team.ts; 0: the calling thread alone)
// With a team, the steps alternate between two copies of what every thread reads (φ, φ', the
// packed frame X or Xr) so that one barrier per step suffices (assembly/dynamics.ts):
//   phi2, dphi2, X2 (and Xr2 in sparse mode), the same sizes, 0 without a team.

import { qrScratchLength } from "./qr";
import { lanes, panelWidth } from "./simd";
import { Team } from "./team";

/** The fields of a workspace, laid over raw memory. */
@unmanaged export class Workspace {
  n: i32 = 0;
  ld: i32 = 0;
  k: i32 = 0;
  panels: i32 = 0;
  act: i32 = 0;
  single: i32 = 0; // 1: every buffer (but logs) and kernel in f32 (PrecisionCode.f32)
  dt: f64 = 0;
  W: usize = 0;
  h: usize = 0;
  phi: usize = 0;
  dphi: usize = 0;
  gains: usize = 0;
  shifts: usize = 0;
  v: usize = 0;
  Q: usize = 0;
  X: usize = 0;
  tau: usize = 0;
  logs: usize = 0;
  adj: usize = 0; // adjoint buffers (assembly/adjoint.ts), allocated on first use
  sparse: i32 = 0; // 1: the steps and the adjoint use the CSR buffers below
  nnz: i32 = 0;
  kp: i32 = 0;
  rowPtr: usize = 0;
  colIdx: usize = 0;
  values: usize = 0;
  rowPtrT: usize = 0;
  colIdxT: usize = 0;
  valuesT: usize = 0;
  Wbs: usize = 0;
  Xr: usize = 0;
  Xb: usize = 0;
  y: usize = 0;
  team: usize = 0;
  phi2: usize = 0;
  dphi2: usize = 0;
  X2: usize = 0;
  Xr2: usize = 0;
}

/** Bytes of a thread's row buffer y: kp elements rounded up to whole 64-byte cache lines. */
// @ts-ignore: decorator
@inline export function rowBufferBytes(kp: i32, size: usize): usize {
  return (<usize>kp * size + 63) & ~(<usize>63);
}

/** Thread tid's row buffer y of the sparse kernels (its own cache lines). */
// @ts-ignore: decorator
@inline export function rowBuffer<T>(ws: Workspace, tid: i32): usize {
  return ((ws.y + 63) & ~(<usize>63)) + <usize>tid * rowBufferBytes(ws.kp, sizeof<T>());
}

/** Allocates `bytes` bytes (16-byte aligned), zeroed. */
export function zeroed(bytes: usize): usize {
  const ptr = heap.alloc(bytes);
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** Allocates a zeroed workspace for n neurons and a k-column frame (k may be 0: state only). */
export function newWorkspace<T>(n: i32, k: i32): usize {
  const ws = changetype<Workspace>(zeroed(offsetof<Workspace>()));
  const ld = (n + 3) & ~3;
  const pw = panelWidth<T>();
  const panels = (k + pw - 1) / pw;
  const sz = <usize>sizeof<T>();
  ws.n = n;
  ws.ld = ld;
  ws.k = k;
  ws.panels = panels;
  ws.single = sizeof<T>() == 4 ? 1 : 0;
  ws.W = zeroed(<usize>ld * ld * sz);
  ws.h = zeroed(<usize>ld * sz);
  ws.phi = zeroed(<usize>ld * sz);
  ws.dphi = zeroed(<usize>ld * sz);
  ws.gains = zeroed(<usize>ld * sz);
  ws.shifts = zeroed(<usize>ld * sz);
  ws.v = zeroed(<usize>qrScratchLength(ld, k) * sz);
  ws.Q = zeroed(<usize>max(k, 1) * ld * sz);
  ws.X = zeroed(<usize>max(panels * ld * pw, ld) * sz);
  ws.tau = zeroed(<usize>max(k, 1) * sz);
  ws.logs = zeroed(<usize>max(k, 1) * 8);
  return changetype<usize>(ws);
}

/**
 * Switches a workspace to the CSR kernels for a W with nnz nonzeros (nnz < 0: back to the dense
 * ones), (re)allocating the sparse buffers zeroed; the host then fills the CSR of W and Wᵀ.
 */
export function setSparse<T>(ptr: usize, nnz: i32): void {
  const ws = changetype<Workspace>(ptr);
  freeSparse(ws);
  if (nnz < 0) return;
  const sz = <usize>sizeof<T>();
  const ld = <usize>ws.ld;
  const kp = (ws.k + lanes<T>()) / lanes<T>() * lanes<T>();
  const entries = <usize>max(nnz, 1);
  ws.sparse = 1;
  ws.nnz = nnz;
  ws.kp = kp;
  ws.rowPtr = zeroed((<usize>ws.n + 1) * 4);
  ws.colIdx = zeroed(entries * 4);
  ws.values = zeroed(entries * sz);
  ws.rowPtrT = zeroed((<usize>ws.n + 1) * 4);
  ws.colIdxT = zeroed(entries * 4);
  ws.valuesT = zeroed(entries * sz);
  ws.Wbs = zeroed(entries * sz);
  ws.Xr = zeroed(ld * kp * sz);
  ws.Xb = zeroed(ld * kp * sz);
  ws.y = zeroed(rowBufferBytes(kp, sz) * <usize>teamThreads(ws.team) + 64);
  if (ws.team != 0) ws.Xr2 = zeroed(ld * kp * sz);
}

function freeSparse(ws: Workspace): void {
  if (ws.sparse == 0) return;
  heap.free(ws.rowPtr);
  heap.free(ws.colIdx);
  heap.free(ws.values);
  heap.free(ws.rowPtrT);
  heap.free(ws.colIdxT);
  heap.free(ws.valuesT);
  heap.free(ws.Wbs);
  heap.free(ws.Xr);
  heap.free(ws.Xb);
  heap.free(ws.y);
  if (ws.Xr2 != 0) heap.free(ws.Xr2);
  ws.Xr2 = 0;
  ws.sparse = 0;
  ws.nnz = 0;
}

/** Threads of a team (1 without one). */
function teamThreads(team: usize): i32 {
  return team == 0 ? 1 : changetype<Team>(team).threads;
}

/**
 * Lets the team `team` (0: none) step the workspace; with the sparse kernels, their per-thread
 * row buffer is reallocated for its threads.
 */
export function setTeam<T>(ptr: usize, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  ws.team = team;
  freeAlternates(ws);
  const sz = <usize>sizeof<T>();
  const ld = <usize>ws.ld;
  if (team != 0) {
    ws.phi2 = zeroed(ld * sz);
    ws.dphi2 = zeroed(ld * sz);
    ws.X2 = zeroed(<usize>max(<usize>ws.panels * ld * <usize>panelWidth<T>(), ld) * sz);
  }
  if (ws.sparse == 0) return;
  heap.free(ws.y);
  ws.y = zeroed(rowBufferBytes(ws.kp, sz) * <usize>teamThreads(team) + 64);
  if (team != 0) ws.Xr2 = zeroed(ld * <usize>ws.kp * sz);
}

/** Frees the alternate buffers of a team's steps (see the file header). */
function freeAlternates(ws: Workspace): void {
  if (ws.phi2 != 0) {
    heap.free(ws.phi2);
    heap.free(ws.dphi2);
    heap.free(ws.X2);
  }
  if (ws.Xr2 != 0) heap.free(ws.Xr2);
  ws.phi2 = 0;
  ws.dphi2 = 0;
  ws.X2 = 0;
  ws.Xr2 = 0;
}

/** Frees a workspace and all its buffers. */
export function freeWorkspace(ptr: usize): void {
  const ws = changetype<Workspace>(ptr);
  freeSparse(ws);
  freeAlternates(ws);
  heap.free(ws.W);
  heap.free(ws.h);
  heap.free(ws.phi);
  heap.free(ws.dphi);
  heap.free(ws.gains);
  heap.free(ws.shifts);
  heap.free(ws.v);
  heap.free(ws.Q);
  heap.free(ws.X);
  heap.free(ws.tau);
  heap.free(ws.logs);
  heap.free(ptr);
}
