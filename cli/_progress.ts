/**
 * Progress on stderr: a bar with ETA on a terminal, plain lines otherwise.
 *
 * @module
 */

// @ts-types="@types/cli-progress"
import cliProgress from "cli-progress";
import process from "node:process";

/** A progress display for `total` items. */
export interface ProgressDisplay {
  /** Sets the number of items done. */
  update(done: number): void;
  /** Ends the display. */
  stop(): void;
}

/** A progress bar for `total` items labelled `label` (e.g. "networks"). */
export function progressBar(total: number, label: string): ProgressDisplay {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format:
        `{bar} {value}/{total} ${label} | {percentage}% | elapsed {duration_formatted} | ETA {eta_formatted}`,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
