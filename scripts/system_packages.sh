#!/usr/bin/env bash
# Install the Debian packages the tests need (Chromium for the browser tests); run as root.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation)
command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
