/**
 * Progress on stderr: a bar with rate and ETA on a terminal, plain lines now and then
 * otherwise (logs, pipes, batch jobs), nothing with `--quiet`. The lines come from the library's
 * progress reports (`src/progress.ts`), as on the explorer page.
 *
 * @module
 */

// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";
import { type Progress, progressLine, ProgressMeter } from "../src/deno.ts";

/** A progress display. */
export interface ProgressDisplay {
  /** Reports progress (units done of the total). */
  report(progress: Progress): void;
  /** Ends the display. */
  stop(): void;
}

/** Seconds before the first plain line, and the least gap between two. */
const FIRST_LINE = 1;
const MIN_GAP = 2;

/**
 * A progress display for `label` counting `unit` (e.g. "spectrum", "steps"). In a terminal a
 * bar; otherwise a line after a second, then every max(2 s, a tenth of the time so far).
 */
export function progressDisplay(label: string, unit: string, quiet = false): ProgressDisplay {
  if (quiet) return { report() {}, stop() {} };
  let meter: ProgressMeter | undefined; // started at the first report, so set-up time is not counted
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} {bar} {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      report(p) {
        const first = meter === undefined;
        const e = (meter ??= new ProgressMeter()).estimate(p);
        const rate = e.rate === undefined ? "-" : e.rate >= 10 ? Math.round(e.rate) : e.rate.toPrecision(2);
        if (first) bar.start(p.total, p.done, { rate });
        else bar.update(p.done, { rate });
      },
      stop: () => meter && bar.stop(),
    };
  }
  let last: Progress | undefined;
  let printed: Progress | undefined;
  let lastLine = -Infinity;
  const print = (p: Progress) => {
    console.error(progressLine(label, unit, meter!.estimate(p)));
    printed = p;
  };
  return {
    report(p) {
      last = p;
      const now = (meter ??= new ProgressMeter()).estimate(p).elapsed;
      if (p.done > 0 && now >= FIRST_LINE && now - lastLine >= Math.max(MIN_GAP, now / 10)) {
        lastLine = now;
        print(p);
      }
    },
    stop() {
      if (printed && last && last.done !== printed.done) print(last);
    },
  };
}
