// A team of threads computing one workspace together (the threads build, build/flybrain_threads.wasm:
// one shared memory, the same module instantiated by the main thread and by T − 1 Workers).
// Safe pattern (docs/design.md#4-the-wasm-interface): the module has no mutable data in its
// memory (its data segments, rewritten by every instantiation, are constant), only the main
// instance allocates (the team record too), and Workers enter teamWorker once and wait there.
// A job is forked by the main thread: it writes the job and its arguments into the team record,
// bumps the job generation and wakes the Workers; every thread (the main one is thread 0) runs
// the same kernel on its own part of the output, with barriers between phases, and the main
// thread returns when every thread has finished (join). Each output element is computed by
// exactly one thread in the same order as with one thread, so results do not depend on T.
// Waits spin a little (a barrier is about a microsecond when the threads are running; a longer
// spin scaled better on an idle machine but slowed Cancel in the page under load, see
// docs/design.md#threads) and then sleep on memory.atomic.wait32, waking every WAKE_NS to check for a failure or the end; a
// word is notified only when a thread of the team sleeps (Team.sleepers). A
// Worker that dies (terminated, crashed) cannot set the failure word itself: the Worker that
// started the team's threads (src/_team_worker.ts, the supervisor) sees its end and calls
// teamWorkerDied, so no thread waits for it for longer than a wake period.
// In the single-threaded build (no threads feature) every workspace has team 0 and barriers
// vanish at compile time.

/** The shared state of a team, laid over memory allocated by the main thread. */
@unmanaged export class Team {
  threads: i32 = 0; // threads in the team, the main one included
  gen: i32 = 0; // job generation: bumped by the main thread to start a job
  done: i32 = 0; // threads finished with the current job
  count: i32 = 0; // threads arrived at the current barrier
  phase: i32 = 0; // barrier generation
  failed: i32 = 0; // 1 + the thread that failed, −1: stopped by the host (0: neither); every wait then gives up
  quit: i32 = 0; // 1: Workers leave teamWorker
  spin: i32 = 0; // polls before sleeping
  trap: i32 = 0; // 1 + a thread that traps at the start of its next job (tests of the failure path)
  job: i32 = 0; // the current job (assembly/jobs.ts) and its arguments
  ws: usize = 0;
  i0: i32 = 0;
  p0: usize = 0;
  p1: usize = 0;
  p2: usize = 0;
  lost: i32 = 0; // 1 + a thread whose Worker died (set by the team's supervisor, src/_team_worker.ts)
  sleepers: i32 = 0; // threads asleep (or about to be) in a wait: a notify is needed only then
}

/** Polls of a shared word before a wait sleeps (about 1.6 µs when nobody else runs). */
// @ts-ignore: decorator
@inline const SPIN: i32 = 2000;
/** Polls of a spinning wait between two looks at the failure word. */
// @ts-ignore: decorator
@inline const POLLS_PER_CHECK: i32 = 256;
/** Nanoseconds a sleeping wait lasts before it looks at the failure word again. */
// @ts-ignore: decorator
@inline const WAKE_NS: i64 = 50_000_000;
/** Rows are split among threads in units of ROW_UNIT (a multiple of every kernel's row block). */
// @ts-ignore: decorator
@inline export const ROW_UNIT: i32 = 8;

/**
 * Allocates the record of a team of `threads` threads (main thread included), zeroed; 0 in the
 * single-threaded build, which has no teams.
 */
export function teamNew(threads: i32): usize {
  if (!ASC_FEATURE_THREADS) return 0;
  const ptr = heap.alloc(offsetof<Team>());
  memory.fill(ptr, 0, offsetof<Team>());
  const t = changetype<Team>(ptr);
  t.threads = threads;
  t.spin = SPIN;
  return ptr;
}

/** Start of thread tid's part of [0, total) split into nt parts in whole units of `unit`. */
export function partStart(total: i32, unit: i32, tid: i32, nt: i32): i32 {
  const units = (total + unit - 1) / unit;
  return min(total, <i32>(<i64>units * tid / nt) * unit);
}

/** Whether the team's failure word is set (a thread failed: stop at the next wait). */
// @ts-ignore: decorator
@inline function failed(team: usize): bool {
  if (ASC_FEATURE_THREADS) return atomic.load<i32>(team + offsetof<Team>("failed")) != 0;
  return false;
}

/**
 * Waits until the i32 at `at` differs from `old` (spinning, then sleeping); traps if a thread
 * of the team failed meanwhile (the host reports the failure).
 */
function waitChange(team: usize, at: usize, old: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  const spin = changetype<Team>(team).spin;
  for (let s = 0; s < spin; s++) {
    if (atomic.load<i32>(at) != old) return;
    // A stop or a failure is seen while spinning too (at the first poll and every POLLS_PER_CHECK
    // polls): waits that end within their spin may be all a long job has.
    if (s % POLLS_PER_CHECK == 0 && failed(team)) unreachable();
  }
  while (atomic.load<i32>(at) == old) {
    if (failed(team)) unreachable();
    sleep(team, at, old);
  }
}

/**
 * Sleeps on the i32 at `at` while it equals `old` (at most WAKE_NS), counted in the team's
 * sleepers: a thread that changes a word it may sleep on notifies only when someone sleeps
 * ({@link wake}). Both sides use sequentially consistent atomics, so a sleeper that the waker
 * does not count reads the new value in its wait and does not sleep.
 */
function sleep(team: usize, at: usize, old: i32): void {
  const sleepersAt = team + offsetof<Team>("sleepers");
  atomic.add<i32>(sleepersAt, 1);
  atomic.wait<i32>(at, old, WAKE_NS);
  atomic.sub<i32>(sleepersAt, 1);
}

/** Wakes the threads sleeping on the i32 at `at`, if any thread of the team sleeps. */
// @ts-ignore: decorator
@inline function wake(team: usize, at: usize): void {
  if (atomic.load<i32>(team + offsetof<Team>("sleepers")) != 0) atomic.notify(at, -1);
}

/** All threads of the team meet here (no-op without a team). */
export function barrier(team: usize): void {
  if (!ASC_FEATURE_THREADS || team == 0) return;
  const t = changetype<Team>(team);
  const phaseAt = team + offsetof<Team>("phase");
  const phase = atomic.load<i32>(phaseAt);
  if (atomic.add<i32>(team + offsetof<Team>("count"), 1) == t.threads - 1) {
    atomic.store<i32>(team + offsetof<Team>("count"), 0);
    atomic.store<i32>(phaseAt, phase + 1);
    wake(team, phaseAt);
  } else {
    waitChange(team, phaseAt, phase);
  }
}

/** Main thread: publishes a job to the Workers of the team (they start it at once). */
export function fork(team: usize, job: i32, ws: usize, i0: i32, p0: usize, p1: usize, p2: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  const t = changetype<Team>(team);
  if (failed(team)) unreachable();
  t.job = job;
  t.ws = ws;
  t.i0 = i0;
  t.p0 = p0;
  t.p1 = p1;
  t.p2 = p2;
  atomic.store<i32>(team + offsetof<Team>("done"), 0);
  const genAt = team + offsetof<Team>("gen");
  atomic.store<i32>(genAt, (atomic.load<i32>(genAt) + 1) & 0x3fffffff); // never −1
  wake(team, genAt);
}

/** Main thread: waits until every Worker has finished the current job. */
export function join(team: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  const t = changetype<Team>(team);
  const doneAt = team + offsetof<Team>("done");
  let d = atomic.load<i32>(doneAt);
  while (d < t.threads - 1) {
    waitChange(team, doneAt, d);
    d = atomic.load<i32>(doneAt);
  }
}

/**
 * Worker tid: waits for the next job generation after `seen`; returns it, or −1 when the team
 * quits or failed.
 */
export function nextJob(team: usize, seen: i32): i32 {
  if (!ASC_FEATURE_THREADS) return -1;
  const genAt = team + offsetof<Team>("gen");
  const quitAt = team + offsetof<Team>("quit");
  const spin = changetype<Team>(team).spin;
  for (let s = 0; s < spin; s++) {
    const g = atomic.load<i32>(genAt);
    if (g != seen) return g;
  }
  while (atomic.load<i32>(quitAt) == 0 && !failed(team)) {
    const g = atomic.load<i32>(genAt);
    if (g != seen) return g;
    sleep(team, genAt, seen);
  }
  return -1;
}

/** Worker: reports the current job finished. */
export function jobDone(team: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  const doneAt = team + offsetof<Team>("done");
  atomic.add<i32>(doneAt, 1);
  wake(team, doneAt);
}

/** Marks the team failed by thread tid (every waiting thread then gives up) and wakes everyone. */
export function teamFail(team: usize, tid: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.cmpxchg<i32>(team + offsetof<Team>("failed"), 0, tid + 1);
  wakeAll(team);
}

/**
 * Marks thread tid's Worker dead (called from the team's supervising Worker, whose event loop is
 * free while the team computes): the team fails as if tid had trapped, and {@link teamLost}
 * tells the host why.
 */
export function teamWorkerDied(team: usize, tid: i32): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.cmpxchg<i32>(team + offsetof<Team>("lost"), 0, tid + 1);
  teamFail(team, tid);
}

/** 1 + the thread whose Worker died, 0 while none has. */
export function teamLost(team: usize): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  return atomic.load<i32>(team + offsetof<Team>("lost"));
}

/** 1 + the thread that failed, 0 while none has. */
export function teamFailed(team: usize): i32 {
  if (!ASC_FEATURE_THREADS) return 0;
  return atomic.load<i32>(team + offsetof<Team>("failed"));
}

/**
 * Address of the team's failure word: a host thread that stores a nonzero value there (−1: a
 * stop, src/thread_team.ts) makes every thread of the team give up at its next wait.
 */
export function teamStopWord(team: usize): usize {
  return team + offsetof<Team>("failed");
}

/**
 * Sets the polls of a wait before it sleeps (the tests make it longer than any wait, so that a
 * failure or a stop must be seen while spinning).
 */
export function teamSetSpin(team: usize, polls: i32): void {
  changetype<Team>(team).spin = polls;
}

/** Makes thread tid trap at the start of the team's next job (to test the failure path). */
export function teamTrapNext(team: usize, tid: i32): void {
  changetype<Team>(team).trap = tid + 1;
}

/** Whether thread tid is to trap now (see {@link teamTrapNext}). */
// @ts-ignore: decorator
@inline export function trapHere(team: usize, tid: i32): bool {
  return team != 0 && changetype<Team>(team).trap == tid + 1;
}

/** Ends the team: Workers return from teamWorker. */
export function teamQuit(team: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.store<i32>(team + offsetof<Team>("quit"), 1);
  wakeAll(team);
}

function wakeAll(team: usize): void {
  if (!ASC_FEATURE_THREADS) return;
  atomic.notify(team + offsetof<Team>("gen"), -1);
  atomic.notify(team + offsetof<Team>("phase"), -1);
  atomic.notify(team + offsetof<Team>("done"), -1);
}
