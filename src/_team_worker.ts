/**
 * The Workers of a core's team (src/thread_team.ts), one script in two roles chosen by the first
 * message:
 *
 * - a **thread** (`tid` given) instantiates the posted threads build on the shared memory it is
 *   given, reports ready, then runs the team's jobs inside the core until the team quits. A
 *   failure (a trap in a kernel) is written into the team record, so that every other thread
 *   stops waiting, and reported. Either way it then waits, idle, for its owner to end it: it
 *   never closes itself (in Chromium, a nested Worker that closes while its owner ends can leave
 *   the owner running for good).
 * - the **supervisor** (no `tid`) starts the threads 1..T−1 as its own Workers, from its own
 *   module (so a bundled copy starts bundled threads), and watches them: its event loop stays
 *   free while the team computes (the host's is blocked inside the core), so when a thread's
 *   Worker dies (an error it did not catch, or terminated) it marks the team failed
 *   (`teamWorkerDied`) and every waiting thread gives up within a wake period instead of waiting
 *   for it forever. Asked to quit, it terminates the threads and closes; otherwise (a team that
 *   ends with its owner) it ends with the Worker that started it.
 *
 * @module
 */

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

/** What the host posts to the supervisor once (`tid` absent), and the supervisor to each thread. */
interface TeamInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  team: number;
  threads: number;
  tid?: number;
}

/** What the host may post to the supervisor later. */
type SupervisorCommand = { quit: true } | { kill: number; afterMs: number };

interface TeamExports {
  teamWorker(team: number, tid: number): void;
  teamFail(team: number, tid: number): void;
  teamWorkerDied(team: number, tid: number): void;
}

async function instantiate(init: TeamInit): Promise<TeamExports> {
  const instance = await WebAssembly.instantiate(init.module, {
    env: {
      memory: init.memory,
      abort() {
        throw new Error("abort in the core");
      },
    },
  });
  return instance.exports as unknown as TeamExports;
}

/** Thread `tid`: runs the team's jobs until the team quits or fails, then waits to be ended. */
async function runThread(init: TeamInit, tid: number): Promise<void> {
  const x = await instantiate(init);
  scope.postMessage({ ready: tid });
  try {
    x.teamWorker(init.team, tid);
    scope.postMessage({ ended: tid });
  } catch (e) {
    x.teamFail(init.team, tid);
    scope.postMessage({ error: `thread ${tid}: ${(e as Error).message ?? String(e)}` });
  }
}

/** The supervisor: starts threads 1..T−1, reports ready, marks the team failed when one dies. */
async function supervise(init: TeamInit): Promise<void> {
  const x = await instantiate(init);
  const workers = new Map<number, Worker>();
  // Threads still in the core: a thread that left it (ended or failed) has told the team already.
  const watched = new Set<number>();
  let quitting = false;
  const died = (tid: number) => {
    if (quitting || !watched.delete(tid)) return;
    x.teamWorkerDied(init.team, tid);
  };
  const ready: Promise<void>[] = [];
  for (let tid = 1; tid < init.threads; tid++) {
    const worker = new Worker(new URL(import.meta.url), { type: "module" });
    workers.set(tid, worker);
    watched.add(tid);
    ready.push(
      new Promise((resolve, reject) => {
        worker.onmessage = (event: MessageEvent) => {
          const data = event.data as { ready?: number; ended?: number; error?: string };
          if (data.ready === tid) resolve();
          if (data.ended === tid || data.error !== undefined) watched.delete(tid);
        };
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          const why = event.message || `its module ${import.meta.url} did not load`;
          reject(new Error(`Cannot start thread ${tid} of the core: ${why}`));
          died(tid);
        };
      }),
    );
    worker.postMessage({ ...init, tid });
  }
  scope.onmessage = (event: MessageEvent) => {
    const command = event.data as SupervisorCommand;
    if ("kill" in command) {
      // Test hook: the thread's Worker is terminated from outside, as by a crash.
      setTimeout(() => {
        workers.get(command.kill)?.terminate();
        died(command.kill);
      }, command.afterMs);
      return;
    }
    quitting = true;
    for (const worker of workers.values()) worker.terminate();
    workers.clear();
    scope.close();
  };
  try {
    await Promise.all(ready);
    scope.postMessage({ ready: 0 });
  } catch (e) {
    scope.postMessage({ error: (e as Error).message });
  }
}

scope.onmessage = (event: MessageEvent) => {
  scope.onmessage = null;
  const init = event.data as TeamInit;
  if (init.tid === undefined) supervise(init);
  else runThread(init, init.tid);
};
