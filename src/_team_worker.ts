/**
 * The Workers of a core's team (src/thread_team.ts), one script in two roles chosen by the first
 * message (a `TeamInit`):
 *
 * - a **thread** (`tid` given) instantiates the posted threads build on the shared memory it is
 *   given, reports ready, then runs the team's jobs inside the core until the team quits. A
 *   failure (a trap in a kernel) is written into the team record, so that every other thread
 *   stops waiting, and reported. Either way it then waits, idle, for whoever started it to
 *   terminate it.
 * - the **supervisor** (no `tid`) starts the threads 1..T−1 as its own Workers, from its own
 *   module (so a bundled copy starts bundled threads), and watches them (`superviseTeam`, src/
 *   team_supervisor.ts): its event loop stays free while the team computes (the host's is blocked
 *   inside the core). Asked to quit, it terminates the threads and closes. A web page hosts the
 *   team of its Worker's core itself, without this role (`TeamOptions.host`).
 *
 * @module
 */

import { instantiateTeamModule, superviseTeam, type TeamInit } from "./team_supervisor.ts";

/** The worker's global scope, as far as this file uses it. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

/** What the host may post to the supervisor later. */
type SupervisorCommand = { quit: true } | { kill: number; afterMs: number };

/** Thread `tid`: runs the team's jobs until the team quits or fails, then waits to be ended. */
async function runThread(init: TeamInit, tid: number): Promise<void> {
  const x = await instantiateTeamModule(init);
  scope.postMessage({ ready: tid });
  try {
    x.teamWorker(init.team, tid);
    scope.postMessage({ ended: tid });
  } catch (e) {
    x.teamFail(init.team, tid);
    scope.postMessage({ error: `thread ${tid}: ${(e as Error).message ?? String(e)}` });
  }
}

/** The supervisor: starts threads 1..T−1 from this module (superviseTeam), reports ready, quits when asked. */
function supervise(init: TeamInit): void {
  const team = superviseTeam(init, new URL(import.meta.url));
  scope.onmessage = (event: MessageEvent) => {
    const command = event.data as SupervisorCommand;
    if ("kill" in command) {
      team.kill(command.kill, command.afterMs);
      return;
    }
    team.quit();
    scope.close();
  };
  team.ready.then(
    () => scope.postMessage({ ready: 0 }),
    (e) => scope.postMessage({ error: (e as Error).message }),
  );
}

scope.onmessage = (event: MessageEvent) => {
  scope.onmessage = null;
  const init = event.data as TeamInit;
  if (init.tid === undefined) supervise(init);
  else runThread(init, init.tid);
};
