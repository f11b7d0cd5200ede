#!/usr/bin/env bash
# Installs nats-server from the OS packages (Debian/Ubuntu) when it is missing.
# The integration tests and `newsdesk demo` start their own nats-server processes.
set -euo pipefail
for d in $(echo "${PATH}" | tr ':' ' ') /usr/sbin /usr/local/sbin; do
  if [ -x "$d/nats-server" ]; then exit 0; fi
done
echo "nats-server is missing: installing it from the OS packages (apt-get install nats-server)" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
for d in /usr/sbin /usr/bin /usr/local/sbin; do
  if [ -x "$d/nats-server" ]; then echo "installed $("$d/nats-server" --version)" >&2; exit 0; fi
done
echo "nats-server did not install" >&2
exit 1
