/**
 * A Worker of tests/threads_test.ts: armed with a threaded core's stop signal, it stops that
 * core's computation `afterMs` milliseconds later, from its own thread.
 *
 * @module
 */

import { stopComputation, type StopSignal } from "../src/mod.ts";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event: MessageEvent) => {
  const { signal, afterMs } = event.data as { signal: StopSignal; afterMs: number };
  setTimeout(() => stopComputation(signal), afterMs);
  scope.postMessage("armed");
};
