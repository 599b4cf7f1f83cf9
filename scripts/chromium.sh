#!/usr/bin/env bash
# Debian's Chromium (browser tests, association posters) and fonts for every script we write in
# (Arabic, Bengali, Persian). Installs them if missing, then prints the browser's path.
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans Bengali"; then
  echo "installing Chromium and Noto fonts (Debian packages)..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-ui-core >&2
fi
echo /usr/bin/chromium
