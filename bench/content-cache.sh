#!/usr/bin/env bash
# What the in-memory content saves: the seed post, the news listing and a tag page served by
# the release build with the cache on and then off (CONTENT_CACHE=off: every render reads
# SQLite), in the same run, and the ratio of the two. A benchmark, not a test: it prints
# figures and fails only if the server does.
#   bench/content-cache.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-16}"
SECONDS_RUN="${2:-5}"
PORT="${BENCH_PORT:-3224}"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -x "$TARGET_DIR/release/server" ] && [ -d target/site/pkg ] || cargo leptos build --release --precompress --split

SEED_POST=/news/a-call-to-action-to-build-shared-societies-at-the-cities-of-migration-conference
SCRATCH="$(mktemp -d)"
SERVER_PID=""
stop() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  [ -z "$SERVER_PID" ] || wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap 'stop; rm -rf "$SCRATCH"' EXIT

# Requests per second of wrk's run against $1.
measure() {
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" "http://127.0.0.1:$PORT$1" \
    | awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx answers: " $0 > "/dev/stderr"; exit 1 }'
}

declare -A RESULTS
for CACHE in on off; do
  CONTENT_CACHE="$CACHE" DATABASE_URL="sqlite://$SCRATCH/site.db" MAIL_DIR="$SCRATCH/mail" \
    RUST_LOG=warn LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    "$TARGET_DIR/release/server" >>"$SCRATCH/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -fso /dev/null "http://127.0.0.1:$PORT$SEED_POST" && break
    sleep 0.1
  done
  for path in "$SEED_POST" /news /news/tag/migration; do
    RESULTS["$CACHE $path"]=$(measure "$path")
  done
  stop
done

echo "== pages per second, $CONNECTIONS connections, ${SECONDS_RUN}s each ($(nproc) cores)"
printf '%-40s %12s %12s %8s\n' page "cache on" "cache off" ratio
for path in "$SEED_POST" /news /news/tag/migration; do
  on="${RESULTS["on $path"]}"
  off="${RESULTS["off $path"]}"
  printf '%-40.40s %12s %12s %8s\n' "$path" "$on" "$off" "$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", a / b }')"
done
