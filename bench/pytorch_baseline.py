"""The PyTorch baseline of `deno task bench:pytorch`: the original project's method, written at its best.

Rate RNN h <- (1 - dt) h + dt W tanh(h); the tangent frame Q <- J Q with the explicit Jacobian
J = (1 - dt) I + dt W diag(phi'(h)) formed at every step (at the pre-update state), torch.linalg.qr
every m = max(1, round(tons / dt)) steps and log|diag R| accumulated. Phases as docs/design.md
section 3 (fixed tons): ttr state steps, tframe steps rounded up to whole intervals, tsim steps
rounded up to whole intervals; lambda = sum log|R_jj| / (observed steps * dt), standard errors from
`blocks` blocks of the observation window. Vectorised, in-place, no autograd.

Usage: python3 pytorch_baseline.py --weights W.f64 --n N --k K --dt DT --tons TONS --ttr T --tframe T
       --tsim T --seed S --precision f64|f32 --threads T [--blocks 10]
W.f64 holds W row-major (W[post, pre]) as little-endian float64. Prints one JSON object: seconds
(the timed computation, after a warm-up), exponents, stderr, step counts and the library versions.
"""

import argparse
import json
import math
import time

import numpy as np
import torch


def arguments():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--weights", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--k", type=int, required=True)
    p.add_argument("--dt", type=float, default=0.1)
    p.add_argument("--tons", type=float, default=0.2)
    p.add_argument("--ttr", type=float, default=20)
    p.add_argument("--tframe", type=float, default=10)
    p.add_argument("--tsim", type=float, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--precision", choices=["f64", "f32"], default="f64")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--blocks", type=int, default=10)
    return p.parse_args()


def plan(a):
    """Step counts of the phases and the QR interval m, as planSpectrum for a fixed tons."""
    m = max(1, round(a.tons / a.dt))
    whole = lambda steps: math.ceil(steps / m) * m
    return m, round(a.ttr / a.dt), whole(round(a.tframe / a.dt)), max(m, whole(round(a.tsim / a.dt)))


class Rnn:
    """State, frame and the preallocated buffers of one computation."""

    def __init__(self, W, k, dt, generator):
        n = W.shape[0]
        self.W, self.dt = W, dt
        self.h = torch.randn(n, generator=generator, dtype=torch.float64).to(W.dtype)
        self.Q, _ = torch.linalg.qr(torch.randn(n, k, generator=generator, dtype=torch.float64).to(W.dtype))
        self.J = torch.empty_like(W)
        self.Qn = torch.empty_like(self.Q)
        self.Wphi = torch.empty(n, dtype=W.dtype)

    def state_step(self):
        torch.mv(self.W, torch.tanh(self.h), out=self.Wphi)
        self.h.mul_(1 - self.dt).add_(self.Wphi, alpha=self.dt)

    def tangent_step(self):
        # J = (1 - dt) I + dt W diag(1 / cosh^2(h)), at the pre-update state; then Q <- J Q.
        torch.mul(self.W, torch.cosh(self.h).pow_(-2).mul_(self.dt), out=self.J)
        self.J.diagonal().add_(1 - self.dt)
        torch.mm(self.J, self.Q, out=self.Qn)
        self.Q, self.Qn = self.Qn, self.Q
        self.state_step()

    def interval(self, steps):
        """Steps tangent steps, then the QR; returns log|R_jj| in float64."""
        for _ in range(steps):
            self.tangent_step()
        self.Q, R = torch.linalg.qr(self.Q)
        return torch.log(torch.abs(torch.diagonal(R))).to(torch.float64)


def spectrum(W, a, generator):
    """The exponents and block standard errors of one run, and its seconds."""
    m, transient, frame, observed = plan(a)
    start = time.perf_counter()
    rnn = Rnn(W, a.k, a.dt, generator)
    for _ in range(transient):
        rnn.state_step()
    for _ in range(frame // m):
        rnn.interval(m)
    blocks = min(a.blocks, observed // m)
    block_sums = torch.zeros(blocks, a.k, dtype=torch.float64)
    block_steps = np.zeros(blocks)
    for s in range(0, observed, m):
        b = min(blocks - 1, s * blocks // observed)
        block_sums[b] += rnn.interval(m)
        block_steps[b] += m
    seconds = time.perf_counter() - start
    exponents = block_sums.sum(0) / (observed * a.dt)
    rates = block_sums / torch.from_numpy(block_steps * a.dt)[:, None]
    stderr = rates.std(0, unbiased=True) / math.sqrt(blocks) if blocks > 1 else None
    steps = {"transient": transient, "frame": frame, "observed": observed, "qrEvery": m}
    return seconds, exponents, stderr, steps


def blas_library():
    """The BLAS shared object this process loaded (what torch's matrix products run on)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return sorted(paths)


def main():
    a = arguments()
    torch.set_num_threads(a.threads)
    dtype = torch.float64 if a.precision == "f64" else torch.float32
    W = torch.from_numpy(np.fromfile(a.weights, dtype="<f8").reshape(a.n, a.n)).to(dtype)
    generator = torch.Generator().manual_seed(a.seed)
    with torch.no_grad():
        # Warm-up: thread pool, BLAS and LAPACK initialised outside the timed run.
        warm = argparse.Namespace(**{**vars(a), "ttr": a.dt, "tframe": 0, "tsim": 2 * a.tons, "blocks": 1})
        spectrum(W, warm, generator)
        seconds, exponents, stderr, steps = spectrum(W, a, generator)
    print(json.dumps({
        "seconds": seconds,
        "exponents": exponents.tolist(),
        "stderr": None if stderr is None else stderr.tolist(),
        "steps": steps,
        "threads": torch.get_num_threads(),
        "precision": a.precision,
        "torch": torch.__version__,
        "blas": blas_library(),
    }))


if __name__ == "__main__":
    main()
