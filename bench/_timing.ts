/**
 * Timing for the benchmarks: warm-up first (wasm starts in a baseline tier), then repeated
 * samples of at least a given length.
 *
 * @module
 */

/**
 * Seconds per call of f: after 200 ms of warm-up, `samples` samples of at least `sampleSeconds`
 * each; the median (or the fastest with `pick: "min"`, for noisy shared machines).
 */
export function timeCall(
  f: () => void,
  { sampleSeconds = 0.15, samples = 5, pick = "median" }: {
    sampleSeconds?: number;
    samples?: number;
    pick?: "median" | "min";
  } = {},
): number {
  const warm = performance.now();
  while (performance.now() - warm < 200) f();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    let reps = 0;
    const t0 = performance.now();
    let t = 0;
    do {
      f();
      reps++;
      t = performance.now() - t0;
    } while (t < sampleSeconds * 1000);
    times.push(t / reps / 1000);
  }
  times.sort((a, b) => a - b);
  return pick === "min" ? times[0] : times[Math.floor(samples / 2)];
}

/** The CPU model of this machine, for the results files (reading /proc needs `--allow-all` in Deno 2). */
export function cpuModel(): string {
  try {
    return Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown";
  } catch {
    return "unknown (run with --allow-all to record it)";
  }
}

/**
 * Seconds the calling thread has run on a CPU so far (Linux: /proc/thread-self/schedstat, in
 * ns; NaN elsewhere). Unlike the wall time it does not grow while other processes hold the cores.
 */
export function threadCpuSeconds(): number {
  try {
    return Number(Deno.readTextFileSync("/proc/thread-self/schedstat").split(" ")[0]) / 1e9;
  } catch {
    return NaN;
  }
}
