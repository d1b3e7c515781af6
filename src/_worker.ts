/**
 * A pool worker: instantiates the posted core module once, then runs the jobs it is sent.
 * Every job is a pure function of its message, so results never depend on scheduling.
 *
 * @module
 */

import { type Core, loadCore } from "./core.ts";
import { runJob } from "./jobs.ts";
import type { JobRequest } from "./pool.ts";

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: (event: MessageEvent) => void;
  postMessage(message: unknown, options?: { transfer: ArrayBuffer[] }): void;
};

let core: Promise<Core> | undefined;

scope.onmessage = async (event: MessageEvent) => {
  const msg = event.data as { init?: WebAssembly.Module; threads?: number } & Partial<JobRequest>;
  if (msg.init) {
    core = loadCore(msg.init, { threads: msg.threads });
    return;
  }
  try {
    const { result, transfer } = runJob(await core!, msg.job!);
    scope.postMessage({ id: msg.id, result }, { transfer });
  } catch (e) {
    scope.postMessage({ id: msg.id, error: (e as Error).message ?? String(e) });
  }
};
