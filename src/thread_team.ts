/**
 * The Workers of a threaded core: T − 1 module Workers, each running the same compiled threads
 * build on the core's shared memory as threads 1..T−1 of one team (assembly/team.ts); the
 * calling thread is thread 0. Workers are started once, with the core, and handed the team
 * record's address; jobs reach them through the shared memory, never by messages.
 *
 * @module
 */

/** The team's Workers. */
export class ThreadTeam {
  /** Threads of the team, the calling one included. */
  readonly threads: number;
  /** Address of the team record in the core's memory. */
  readonly pointer: number;
  #workers: Worker[];

  private constructor(threads: number, pointer: number, workers: Worker[]) {
    this.threads = threads;
    this.pointer = pointer;
    this.#workers = workers;
  }

  /**
   * Starts the Workers of a team of `threads` threads on `memory` (the team record at
   * `pointer`) and resolves when every one of them runs the module.
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    pointer: number,
    threads: number,
  ): Promise<ThreadTeam> {
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let tid = 1; tid < threads; tid++) {
      const worker = new Worker(new URL("./_team_worker.ts", import.meta.url), { type: "module" });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.onmessage = (event: MessageEvent) => {
            if ((event.data as { ready?: number }).ready === tid) resolve();
          };
          worker.onerror = (event: ErrorEvent) => {
            event.preventDefault();
            reject(new Error(`Cannot start thread ${tid} of the core: ${event.message}`));
          };
        }),
      );
      worker.postMessage({ module, memory, team: pointer, tid });
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      for (const worker of workers) worker.terminate();
      throw e;
    }
    return new ThreadTeam(threads, pointer, workers);
  }

  /** Stops every Worker (the team cannot be used afterwards). */
  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
  }
}
