/**
 * Supervision of a threaded core's team Workers (threads 1..T−1), from a thread whose event loop
 * stays free while the team computes: the team's supervisor Worker (src/_team_worker.ts), or a
 * web page that hosts the team of its Worker's core (`TeamOptions.host`, src/thread_team.ts). It starts
 * the threads' Workers and marks the team failed when one of them dies, so that no thread waits
 * for it for longer than a wake period.
 *
 * @module
 */

/** What a team's Workers need: the threads build, the core's shared memory, the team record's address. */
export interface TeamInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Address of the team record in `memory`. */
  team: number;
  /** Threads of the team, the calling one included. */
  threads: number;
  /** The thread a Worker runs (absent for the supervisor). */
  tid?: number;
}

/** The exports of the threads build that the team's Workers call. */
export interface TeamExports {
  teamWorker(team: number, tid: number): void;
  teamFail(team: number, tid: number): void;
  teamWorkerDied(team: number, tid: number): void;
}

/** A supervised team's Workers. */
export interface TeamSupervision {
  /** Resolves when every thread runs the module; rejects when one cannot start. */
  ready: Promise<void>;
  /** Test hook: terminates thread `tid`'s Worker `afterMs` milliseconds from now, as a crash would. */
  kill(tid: number, afterMs: number): void;
  /** Terminates every thread's Worker. */
  quit(): void;
}

/** Instantiates the threads build on the team's shared memory (every instance after the first: no allocation). */
export async function instantiateTeamModule(init: TeamInit): Promise<TeamExports> {
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

/**
 * Starts the Workers of threads 1..T−1 of a team, module Workers running `script` (the team
 * Worker module, src/_team_worker.ts or its bundled copy), each posted its `TeamInit`, and
 * watches them: when one dies (an error it did not catch, or terminated) while it is in the core,
 * the team fails (`teamWorkerDied`).
 */
export function superviseTeam(init: TeamInit, script: URL | string): TeamSupervision {
  const core = instantiateTeamModule(init);
  const workers = new Map<number, Worker>();
  // Threads still in the core: a thread that left it (ended or failed) has told the team already.
  const watched = new Set<number>();
  let quitting = false;
  const died = (tid: number) => {
    if (quitting || !watched.delete(tid)) return;
    core.then((x) => x.teamWorkerDied(init.team, tid), () => {});
  };
  const started: Promise<unknown>[] = [core];
  for (let tid = 1; tid < init.threads; tid++) {
    const worker = new Worker(script, { type: "module" });
    workers.set(tid, worker);
    watched.add(tid);
    started.push(
      new Promise<void>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent) => {
          const data = event.data as { ready?: number; ended?: number; error?: string };
          if (data.ready === tid) resolve();
          if (data.ended === tid || data.error !== undefined) watched.delete(tid);
        };
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          const why = event.message || `its module ${script} did not load`;
          reject(new Error(`Cannot start thread ${tid} of the core: ${why}`));
          died(tid);
        };
      }),
    );
    worker.postMessage({ ...init, tid });
  }
  return {
    ready: Promise.all(started).then(() => {}),
    kill(tid, afterMs) {
      setTimeout(() => {
        workers.get(tid)?.terminate();
        died(tid);
      }, afterMs);
    },
    quit() {
      quitting = true;
      for (const worker of workers.values()) worker.terminate();
      workers.clear();
    },
  };
}
