#!/usr/bin/env bash
# scripts/slurm/down.sh: stop the cluster started by up.sh (only the PIDs it recorded).
set -uo pipefail
BASE=${SLURM_LOCAL_DIR:-/tmp/slurm-local}
STATE=$BASE/state
export SLURM_CONF=${SLURM_CONF:-/etc/slurm/slurm.conf}
t0=$(date +%s.%N)
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

pids=""
for d in slurmctld slurmd; do alive "$STATE/$d.pid" && pids="$pids $(cat "$STATE/$d.pid")"; done
# scontrol shutdown = slurmctld tells every slurmd to exit, then exits itself
scontrol shutdown >/dev/null 2>&1 || true
for p in $pids; do
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$p" 2>/dev/null && { echo "pid $p still alive - SIGTERM"; kill "$p"; sleep 1; }
  kill -0 "$p" 2>/dev/null && { echo "pid $p still alive - SIGKILL"; kill -9 "$p"; }
done
if [ -e "$STATE.munged-started-by-up" ]; then
  if [ -s /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
    mp=$(cat /run/munge/munged.pid); kill "$mp"
    for _ in $(seq 50); do kill -0 "$mp" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$STATE.munged-started-by-up"
fi
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "[down] stopped in %.2fs\n", b-a}'
