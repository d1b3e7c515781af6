// The kernels a team of threads runs together (assembly/team.ts), by job code, and the two ends
// of a job: run() on the calling thread (alone, or forking the job to its workspace's team and
// taking part as thread 0) and teamWorker() on every Worker of a team.

import { fork, join, jobDone, nextJob, Team, trapHere } from "./team";
import { adjointFlush, adjointQR, adjointStep } from "./adjoint";
import { clvProduct, clvSolve } from "./covariant";
import { interval, orthonormalize, stateSteps, tangentSteps } from "./dynamics";
import { qrUnblocked } from "./qr";
import { Workspace } from "./workspace";

/** Jobs: the step, QR, adjoint and covariant-vector kernels over one workspace. */
export enum Job {
  stateSteps = 0,
  tangentSteps = 1,
  orthonormalize = 2,
  interval = 3,
  adjointStep = 4,
  adjointQR = 5,
  adjointFlush = 6,
  clvSolve = 7,
  clvProduct = 8,
}

/** Thread tid of nt runs its part of a job on workspace ws (f64 or f32 by the workspace). */
function runJob(
  job: i32, ws: usize, i0: i32, p0: usize, p1: usize, p2: usize, tid: i32, nt: i32, team: usize,
): void {
  const single = changetype<Workspace>(ws).single != 0;
  if (trapHere(team, tid)) unreachable();
  switch (job) {
    case Job.stateSteps:
      if (single) stateSteps<f32>(ws, i0, tid, nt, team);
      else stateSteps<f64>(ws, i0, tid, nt, team);
      break;
    case Job.tangentSteps:
      if (single) tangentSteps<f32>(ws, i0, tid, nt, team);
      else tangentSteps<f64>(ws, i0, tid, nt, team);
      break;
    case Job.orthonormalize:
      if (single) orthonormalize<f32>(ws, p0, tid, nt, team);
      else orthonormalize<f64>(ws, p0, tid, nt, team);
      break;
    case Job.interval:
      if (single) interval<f32>(ws, i0, tid, nt, team);
      else interval<f64>(ws, i0, tid, nt, team);
      break;
    case Job.adjointStep:
      if (single) adjointStep<f32>(ws, p0, p1, i0, tid, nt, team);
      else adjointStep<f64>(ws, p0, p1, i0, tid, nt, team);
      break;
    case Job.adjointQR:
      if (single) adjointQR<f32>(ws, p0, p1, p2, tid, nt, team);
      else adjointQR<f64>(ws, p0, p1, p2, tid, nt, team);
      break;
    case Job.adjointFlush:
      if (single) adjointFlush<f32>(ws, tid, nt, team);
      else adjointFlush<f64>(ws, tid, nt, team);
      break;
    case Job.clvSolve:
      clvSolve(ws, p0, p1, tid, nt);
      break;
    case Job.clvProduct:
      clvProduct(ws, p0, p1, tid, nt);
      break;
    default:
      unreachable();
  }
}

/** Runs a job on workspace ws: alone, or with the workspace's team (this thread is thread 0). */
export function run(job: i32, ws: usize, i0: i32, p0: usize, p1: usize, p2: usize): void {
  const w = changetype<Workspace>(ws);
  const team = w.team;
  // The unblocked QR runs on one thread: waking the team for it would only cost time, and
  // after an interval's steps it follows the join (no barrier before it).
  const unblocked = qrUnblocked(w.n, w.k);
  if (team == 0 || (job == Job.orthonormalize && unblocked)) {
    runJob(job, ws, i0, p0, p1, p2, 0, 1, 0);
    return;
  }
  if (job == Job.interval && unblocked) {
    run(Job.tangentSteps, ws, i0, p0, p1, p2);
    runJob(Job.orthonormalize, ws, 0, 0, 0, 0, 0, 1, 0);
    return;
  }
  fork(team, job, ws, i0, p0, p1, p2);
  runJob(job, ws, i0, p0, p1, p2, 0, changetype<Team>(team).threads, team);
  join(team);
}

/**
 * A Worker's part of a team: thread tid runs every job the main thread forks, until the team
 * quits or fails. Called once per Worker; returns only then.
 */
export function teamWorker(team: usize, tid: i32): void {
  let seen = 0;
  for (;;) {
    const gen = nextJob(team, seen);
    if (gen < 0) return;
    seen = gen;
    const t = changetype<Team>(team);
    runJob(t.job, t.ws, t.i0, t.p0, t.p1, t.p2, tid, t.threads, team);
    jobDone(team);
  }
}
