/**
 * A thread of a core's team (src/thread_team.ts): instantiates the posted threads build on the
 * shared memory it is given, reports ready, then runs the team's jobs inside the core until the
 * team quits. A failure (a trap in a kernel) is written into the team record, so that every
 * other thread stops waiting, and reported. Either way it then waits, idle, for its owner to end
 * it: it never closes itself (in Chromium, a nested Worker that closes while its owner ends can
 * leave the owner running for good).
 *
 * @module
 */

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

/** What the main thread posts once. */
interface TeamThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  team: number;
  tid: number;
}

interface TeamExports {
  teamWorker(team: number, tid: number): void;
  teamFail(team: number, tid: number): void;
}

scope.onmessage = async (event: MessageEvent) => {
  scope.onmessage = null;
  const { module, memory, team, tid } = event.data as TeamThreadInit;
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort() {
        throw new Error("abort in the core");
      },
    },
  });
  const x = instance.exports as unknown as TeamExports;
  scope.postMessage({ ready: tid });
  try {
    x.teamWorker(team, tid);
    scope.postMessage({ ended: tid });
  } catch (e) {
    x.teamFail(team, tid);
    scope.postMessage({ error: `thread ${tid}: ${(e as Error).message ?? String(e)}` });
  }
};
