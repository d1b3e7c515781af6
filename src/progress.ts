/**
 * Progress reports of long computations (spectra, gradients, network draws, Sinkhorn rounds,
 * sweeps) and what a display makes of them: the rate, the time left, one readable line. The
 * command line and the explorer page show the same reports through this module.
 *
 * @module
 */

/** Progress of a computation: units (time steps, rounds, networks) done of a total. */
export interface Progress {
  /** Units done so far. */
  done: number;
  /** Units in all. */
  total: number;
}

/** A progress report with its rate and the time left. */
export interface ProgressEstimate extends Progress {
  /** Seconds since the meter started. */
  elapsed: number;
  /** Units per second so far (undefined before the first unit is done). */
  rate?: number;
  /** Seconds left at that rate (undefined before the first unit is done). */
  eta?: number;
}

/**
 * Rate and time left of a computation from its progress reports (the average rate since the
 * meter started, of the units done since its first report).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const meter = new ProgressMeter(0);
 * meter.estimate({ done: 0, total: 100 }, 0);
 * const e = meter.estimate({ done: 25, total: 100 }, 5000);
 * equal(e.rate, 5);
 * equal(e.eta, 15);
 * ```
 */
export class ProgressMeter {
  #start: number;
  /** Units done at the first report (a resumed run starts with some). */
  #first?: number;

  /** Starts the meter at `now` (milliseconds, performance.now() by default). */
  constructor(now: number = performance.now()) {
    this.#start = now;
  }

  /** The estimate at `now` (milliseconds) for a report; the rate counts the units done since the first. */
  estimate(progress: Progress, now: number = performance.now()): ProgressEstimate {
    const elapsed = Math.max(0, now - this.#start) / 1000;
    const { done, total } = progress;
    this.#first ??= done;
    if (done <= this.#first || elapsed <= 0) return { done, total, elapsed };
    const rate = (done - this.#first) / elapsed;
    return { done, total, elapsed, rate, eta: Math.max(0, total - done) / rate };
  }
}

/**
 * A duration for people: "45 s", "3 min 20 s", "2 h 05 min", "4 d 3 h".
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(formatDuration(200), "3 min 20 s");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "unknown";
  const s = Math.round(seconds);
  if (s < 60) return seconds < 10 ? `${seconds.toFixed(1)} s` : `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  if (s < 86400) {
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** A count for people: 1234567 → "1.23e+6" above a million, else the integer. */
function count(x: number): string {
  return x >= 1e6 ? x.toExponential(2) : String(Math.round(x));
}

/**
 * One line of progress: "spectrum: 1200/3000 steps (40%), 350 steps/s, 5.1 s left".
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const line = progressLine("spectrum", "steps", { done: 50, total: 100, elapsed: 2, rate: 25, eta: 2 });
 * equal(line, "spectrum: 50/100 steps (50%), 25 steps/s, 2.0 s left");
 * ```
 */
export function progressLine(label: string, unit: string, e: ProgressEstimate): string {
  const percent = e.total > 0 ? Math.floor((100 * e.done) / e.total) : 100;
  let line = `${label}: ${count(e.done)}/${count(e.total)} ${unit} (${percent}%)`;
  if (e.rate !== undefined) {
    const rate = e.rate >= 10 ? count(e.rate) : e.rate.toPrecision(2);
    line += `, ${rate} ${unit}/s, ${formatDuration(e.eta!)} left`;
  }
  return line;
}
