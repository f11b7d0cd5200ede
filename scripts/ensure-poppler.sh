#!/usr/bin/env bash
# Installs poppler's pdftotext (and poppler-data, which maps the CJK fonts of
# Chinese e-paper PDFs back to text) from the OS packages when missing: what
# `newsdesk publish FILE.pdf` and its tests use.
set -euo pipefail
if command -v pdftotext >/dev/null && [ -d /usr/share/poppler/cMap ]; then exit 0; fi
echo "pdftotext or poppler-data is missing: installing them (apt-get install poppler-utils poppler-data)" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils poppler-data >/dev/null
command -v pdftotext >/dev/null || { echo "pdftotext did not install" >&2; exit 1; }
