#!/usr/bin/env bash
# The whole test suite: unit tests of the core and integration tests that start
# real nats-server processes (installed first if missing, like poppler's
# pdftotext for the PDF tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-nats-server.sh
scripts/ensure-poppler.sh
cargo test "$@"
