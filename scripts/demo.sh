#!/usr/bin/env bash
# The one-command tour: builds newsdesk and runs `newsdesk demo`, which uses the
# NATS at NEWSDESK_NATS_URL / NATS_URL (default nats://127.0.0.1:4222) or starts
# a private nats-server with JetStream (installed first if there is neither).
set -euo pipefail
cd "$(dirname "$0")/.."
url="${NEWSDESK_NATS_URL:-${NATS_URL:-}}"
if [ -z "$url" ] && ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  scripts/ensure-nats-server.sh
fi
crates="$(grep -c '^name = ' Cargo.lock)"
if [ ! -x target/release/newsdesk ]; then
  echo "demo: building newsdesk (release). A first build compiles ${crates} crates and takes several minutes on a" >&2
  echo "      small machine; cargo shows its progress below. Later runs start at once." >&2
  cargo build --release
else
  echo "demo: building newsdesk (only what changed)" >&2
  cargo build --release --quiet
fi
echo "demo: starting" >&2
exec target/release/newsdesk demo "$@"
