/**
 * The Workers of a threaded core: T − 1 module Workers, each running the same compiled threads
 * build on the core's shared memory as threads 1..T−1 of one team (assembly/team.ts); the
 * calling thread is thread 0. They are started once, with the core, by one more Worker, their
 * supervisor (src/_team_worker.ts), which marks the team failed when one of them dies, since
 * the calling thread cannot listen while it computes; it is handed the team record's address,
 * and jobs reach the threads through the shared memory, never by messages. When the team quits
 * or fails the threads leave the core and wait, idle, until they are terminated: by the
 * supervisor when the core closes, or by the host that started them
 * ({@linkcode TeamOptions.host}).
 *
 * @module
 */

import type { TeamInit } from "./team_supervisor.ts";

/** The module the team's Workers run, next to this file (a bundle of the library ships its own copy). */
export const TEAM_WORKER_URL: URL = new URL("./_team_worker.ts", import.meta.url);

/** How a team's Workers start and end. */
export interface TeamOptions {
  /**
   * The module the Workers run: {@linkcode TEAM_WORKER_URL} by default; where the library is
   * bundled (the web page), the URL of the bundled copy shipped with it. The supervisor is
   * started from it and starts the threads from its own module, so one URL serves both.
   */
  script?: URL | string;
  /**
   * Starts the Workers elsewhere instead of in a supervisor Worker: called with the team's
   * `TeamInit`, it starts and supervises threads 1..T−1 (`superviseTeam`, e.g. in the page of
   * the web explorer's Worker, which must own no Workers: Chromium at times never ends a
   * terminated Worker whose nested Workers end with it) and resolves when they run. The host
   * also ends them; the core's close() and a failure only make them leave the core.
   */
  host?: (init: TeamInit) => Promise<void>;
}

/** The value of a team's failure word after {@linkcode stopComputation} (a thread that fails writes 1 + its index). */
export const STOPPED = -1;

/**
 * What stops a threaded core's computation from another thread (post it there, e.g. from a
 * Worker to its page): the core's shared memory and the address of its team's failure word.
 */
export interface StopSignal {
  memory: WebAssembly.Memory;
  address: number;
}

/**
 * Stops the computation of the core a signal comes from, from any thread (a page's main thread
 * too): every thread of its team gives up at its next wait (within about 50 ms), the call
 * computing on the core's thread throws "The computation was stopped" and the team's Workers
 * end. The core cannot compute afterwards.
 */
export function stopComputation(signal: StopSignal): void {
  Atomics.compareExchange(new Int32Array(signal.memory.buffer), signal.address >> 2, 0, STOPPED);
}

/** The team's Workers. */
export class ThreadTeam {
  /** Threads of the team, the calling one included. */
  readonly threads: number;
  /** Address of the team record in the core's memory. */
  readonly pointer: number;
  /** The core's shared memory. */
  readonly memory: WebAssembly.Memory;
  /** The supervisor Worker (none when the team is hosted elsewhere, or terminated). */
  #supervisor: Worker | undefined;

  private constructor(threads: number, pointer: number, memory: WebAssembly.Memory, supervisor?: Worker) {
    this.threads = threads;
    this.pointer = pointer;
    this.memory = memory;
    this.#supervisor = supervisor;
  }

  /**
   * Starts the Workers of a team of `threads` threads on `memory` (the team record at
   * `pointer`), module Workers running `options.script` (or asks `options.host` to), and
   * resolves when every one of them runs the module. When one cannot start, the promise rejects
   * and the others are terminated (by the host, when there is one).
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    pointer: number,
    threads: number,
    options: TeamOptions = {},
  ): Promise<ThreadTeam> {
    const init: TeamInit = { module, memory, team: pointer, threads };
    if (options.host) {
      await options.host(init);
      return new ThreadTeam(threads, pointer, memory);
    }
    const script = options.script ?? TEAM_WORKER_URL;
    const supervisor = new Worker(script, { type: "module" });
    const ready = new Promise<void>((resolve, reject) => {
      supervisor.onmessage = (event: MessageEvent) => {
        const data = event.data as { ready?: number; error?: string };
        if (data.ready === 0) resolve();
        if (data.error !== undefined) reject(new Error(data.error));
      };
      supervisor.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        const why = event.message || `its module ${script} did not load`;
        reject(new Error(`Cannot start the threads of the core: ${why}`));
      };
    });
    supervisor.postMessage(init);
    const team = new ThreadTeam(threads, pointer, memory, supervisor);
    try {
      await ready;
    } catch (e) {
      team.terminate();
      throw e;
    }
    return team;
  }

  /**
   * Test hook: terminates thread `tid`'s Worker `afterMs` milliseconds from now, as a crash
   * would, even while the calling thread computes (the computation then fails).
   */
  killThread(tid: number, afterMs: number): void {
    if (!this.#supervisor) throw new Error("Cannot kill a thread of a team hosted elsewhere or terminated");
    this.#supervisor.postMessage({ kill: tid, afterMs });
  }

  /**
   * Terminates every Worker, or leaves a hosted team's Workers to their host (the team cannot be
   * used afterwards; quit or fail it first, so that they leave the core).
   */
  terminate(): void {
    this.#supervisor?.postMessage({ quit: true });
    this.#supervisor = undefined;
  }
}
