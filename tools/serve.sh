#!/usr/bin/env bash
# `make serve`: the production stack on one machine. A Redis server (unless REDIS_URL names one), job workers, and
# gunicorn in front. Ctrl-C (or SIGTERM) stops all of them; nothing else is touched.
#   TRAJECT_JOB_WORKERS  job workers for documents rendered ahead, versions and housekeeping (default: the cores)
#   TRAJECT_BULK_WORKERS job workers for bulk ZIPs (default: the number of cores)
#   REDIS_URL            an existing Redis; without it one is started on 127.0.0.1:${REDIS_PORT:-6379}
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
instance=$(realpath -m "${TRAJECT_INSTANCE:-instance}")
pids=()
redis_pid=
export TRAJECT_JOB_WORKERS=${TRAJECT_JOB_WORKERS:-$(nproc)} TRAJECT_BULK_WORKERS=${TRAJECT_BULK_WORKERS:-$(nproc)}
stop() {
  # gunicorn and the job workers first (a bulk job they leave unfinished is resumed by the next worker), Redis last.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    alive=0; for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [ -z "$redis_pid" ] || kill "$redis_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

if [ -z "${REDIS_URL:-}" ]; then
  port=${REDIS_PORT:-6379}
  mkdir -p "$instance/redis"
  # Only a queue and its progress live here (documents and jobs are in the database): snapshots are enough.
  redis-server --bind 127.0.0.1 --port "$port" --dir "$instance/redis" --save 60 1 --appendonly no \
    --daemonize no --logfile "$instance/redis/redis.log" &
  redis_pid=$!
  export REDIS_URL="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# Niced, and their renders more so (webapp/jobs/runner.py): pages first, then the documents someone waits for, then
# bulk ZIPs. Each queue has workers of its own, so a document just saved never waits for a slice of a bulk job.
for queue in default bulk; do
  count=$TRAJECT_JOB_WORKERS; [ $queue = bulk ] && count=$TRAJECT_BULK_WORKERS
  for _ in $(seq "$count"); do
    nice -n "${TRAJECT_JOB_NICE:-10}" "$BIN/traject" worker --queue $queue &
    pids+=($!)
  done
done

"$BIN/gunicorn" -c python:webapp.jobs.gunicorn_conf 'webapp:create_app()' &
pids+=($!)
wait -n "${pids[@]}" ${redis_pid:+"$redis_pid"}
