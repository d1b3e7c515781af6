/**
 * The Workers of a threaded core: T − 1 module Workers, each running the same compiled threads
 * build on the core's shared memory as threads 1..T−1 of one team (assembly/team.ts); the
 * calling thread is thread 0. They are started once, with the core, by one more Worker, their
 * supervisor (src/_team_worker.ts), which marks the team failed when one of them dies, since
 * the calling thread cannot listen while it computes. Jobs reach the threads through the shared
 * memory, never by messages.
 *
 * @module
 */

/** The team's Workers. */
export class ThreadTeam {
  /** Threads of the team, the calling one included. */
  readonly threads: number;
  /** Address of the team record in the core's memory. */
  readonly pointer: number;
  #supervisor: Worker | undefined;

  private constructor(threads: number, pointer: number, supervisor: Worker) {
    this.threads = threads;
    this.pointer = pointer;
    this.#supervisor = supervisor;
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
    const supervisor = new Worker(new URL("./_team_worker.ts", import.meta.url), { type: "module" });
    const ready = new Promise<void>((resolve, reject) => {
      supervisor.onmessage = (event: MessageEvent) => {
        const data = event.data as { ready?: number; error?: string };
        if (data.ready === 0) resolve();
        if (data.error !== undefined) reject(new Error(data.error));
      };
      supervisor.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        reject(new Error(`Cannot start the threads of the core: ${event.message}`));
      };
    });
    supervisor.postMessage({ module, memory, team: pointer, threads });
    try {
      await ready;
    } catch (e) {
      supervisor.terminate();
      throw e;
    }
    return new ThreadTeam(threads, pointer, supervisor);
  }

  /**
   * Test hook: terminates thread `tid`'s Worker `afterMs` milliseconds from now, as a crash
   * would, even while the calling thread computes (the computation then fails).
   */
  killThread(tid: number, afterMs: number): void {
    this.#supervisor?.postMessage({ kill: tid, afterMs });
  }

  /** Stops every Worker (the team cannot be used afterwards). */
  terminate(): void {
    if (!this.#supervisor) return;
    this.#supervisor.postMessage({ quit: true });
    this.#supervisor = undefined;
  }
}
