#!/usr/bin/env bash
# Sign-up throughput: the release server on a fresh database, wrk posting the sign form with a
# new address each time (each one a durable write plus a queued confirmation mail).
# A benchmark, not a test: it prints figures and fails only if the server does.
#   bench/signups.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-16}"
SECONDS_RUN="${2:-10}"
PORT="${BENCH_PORT:-3222}"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -x "$TARGET_DIR/release/server" ] && [ -d target/site/pkg ] || cargo leptos build --release --precompress --split

SCRATCH="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null || true
  [ -z "$SERVER_PID" ] || wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

DATABASE_URL="sqlite://$SCRATCH/site.db" MAIL_DIR="$SCRATCH/mail" RUST_LOG=warn \
  RATE_LIMIT_BURST=1000000 RATE_LIMIT_PER_MINUTE=1000000 \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
  "$TARGET_DIR/release/server" >"$SCRATCH/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fso /dev/null "http://127.0.0.1:$PORT/take-action" && break
  sleep 0.1
done

echo "== sign-up POSTs, $CONNECTIONS connections, ${SECONDS_RUN}s ($(nproc) cores)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency -s bench/signups.lua "http://127.0.0.1:$PORT"
STORED=$(DATABASE_URL="sqlite://$SCRATCH/site.db" "$TARGET_DIR/release/server" export signups | tail -n +2 | wc -l)
echo "== signatures stored: $STORED"
sleep 2
echo "== confirmation mails written so far: $(find "$SCRATCH/mail" -name '*.eml' | wc -l)"
