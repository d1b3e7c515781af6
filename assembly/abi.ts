// The interface between the wasm core and its host, written once. This file is plain
// TypeScript that both compilers read: AssemblyScript builds it into the core (assembly/index.ts
// re-exports the enums, so the module carries every value as an exported global, e.g.
// `Field.W`), and the library imports it (src/workspace.ts, src/activation.ts), so ids and
// codes cannot drift apart in the sources. src/core.ts compares the module's globals with these
// values at load: a stale build/flybrain.wasm is an error, not wrong buffers. See
// docs/design.md#4-the-wasm-interface. Keep it to enums of integer literals (valid in both).

/** Buffers of a workspace, by the id `wsField(ws, id)` takes. */
export enum Field {
  /** W, ld×ld row-major. */
  W = 0,
  /** State h. */
  h = 1,
  /** φ(h). */
  phi = 2,
  /** φ'(h). */
  dphi = 3,
  /** Gains per neuron. */
  gains = 4,
  /** Shifts per neuron. */
  shifts = 5,
  /** Frame Q, k columns of ld (column-major n×k). */
  Q = 6,
  /** log|R_jj|, k values, always f64. */
  logs = 7,
  /** Adjoint (after adjointBegin): h̄. */
  hbar = 8,
  /** Adjoint: Q̄. */
  Qbar = 9,
  /** Adjoint: W̄ (dense kernels). */
  Wbar = 10,
  /** Adjoint: ḡ per neuron. */
  gbar = 11,
  /** Adjoint: s̄ per neuron. */
  sbar = 12,
  /** Sparse kernels (after wsSetSparse): rowPtr of W (n + 1 i32). */
  rowPtr = 13,
  /** Sparse: colIdx of W (nnz i32). */
  colIdx = 14,
  /** Sparse: values of W. */
  values = 15,
  /** Sparse: rowPtr of Wᵀ. */
  rowPtrT = 16,
  /** Sparse: colIdx of Wᵀ. */
  colIdxT = 17,
  /** Sparse: values of Wᵀ. */
  valuesT = 18,
  /** Sparse: W̄ on the nonzeros of W, in W's CSR order. */
  Wbs = 19,
}

/** Activation codes of `wsConfigure(ws, act, dt)`, named as the library's activations. */
export enum ActivationCode {
  tanh = 0,
  tanh_stretched = 1,
  tanh_pos = 2,
}

/** Element type of a workspace, the `precision` argument of `wsNew(n, k, precision)`. */
export enum PrecisionCode {
  f64 = 0,
  f32 = 1,
}
