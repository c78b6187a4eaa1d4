#!/usr/bin/env bash
# Makes sure the report's browser test (packages/sim/test/report-browser.test.ts) has its browser
# and a CJK font: installs Debian's `chromium` and `fonts-noto-cjk` when either is missing and we
# are root, else says how. Without the font Chromium draws the report's Chinese as tofu boxes, and
# the test fails on purpose. A browser of your own is used instead when LUOSHI_CHROMIUM is set.
set -euo pipefail
[ -n "${LUOSHI_CHROMIUM:-}" ] && exit 0
have_font() {
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' && return 0
  fi
  command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q 'Noto Sans CJK'
}
[ -x /usr/bin/chromium ] && have_font && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Chromium or the CJK font is missing: install them (sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk) or set LUOSHI_CHROMIUM to a Chromium with a CJK font" >&2
  exit 1
fi
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q chromium fonts-noto-cjk >/dev/null
echo "Chromium and fonts-noto-cjk installed in $((SECONDS - started)) s" >&2
