#!/usr/bin/env bash
# Installs what `make test` needs beyond Go. Idempotent and quiet when all
# is present. (The browser suite extends this: chromium, axe-core, vnu-jar.)
set -euo pipefail
exit 0
