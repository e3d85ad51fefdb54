#!/usr/bin/env bash
# Installs the OS packages HotlineQA needs (idempotent). Debian/Ubuntu; root or sudo.
#   ffmpeg        decoding every telephone codec and container, clip cutting
#   espeak-ng     rendering the demo's sample calls
#   postgresql    scale-out storage, and the tests' real server
#   chromium      end-to-end tests of the web UI (fonts-wqy-microhei: Chinese text in its screenshots)
#   libopencc1.1  Traditional → Simplified Chinese
#   unicode-data  Unihan readings (pinyin) for homophone-tolerant matching (bzip2: Debian ships them compressed)
#   sox           AMR-NB test material for the audio tests
set -euo pipefail
pkgs=(ffmpeg espeak-ng postgresql chromium fonts-wqy-microhei libopencc1.1 unicode-data sox bzip2)
[ "${1:-}" = "--no-browser" ] && pkgs=("${pkgs[@]/chromium}") && pkgs=("${pkgs[@]/fonts-wqy-microhei}")
missing=()
for p in "${pkgs[@]}"; do
  [ -z "$p" ] && continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
