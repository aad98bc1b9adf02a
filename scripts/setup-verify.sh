#!/usr/bin/env bash
# Install what `./dev verify` needs, once; running it again installs nothing.
#   - Debian's chromium (driven by the pinned `playwright` Python package; never `playwright install`)
#   - a Java runtime for the Nu HTML validator (Java 11 or newer)
#   - fonts, so screenshots show text
#   - verify/node_modules from verify/package-lock.json: vnu-jar (the validator's jar), axe-core and
#     lighthouse (12.2.3, which runs on Node 20; 13.x needs Node 22)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v java >/dev/null 2>&1; then
  missing+=(default-jre-headless)
fi
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup-verify: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm packages: exact versions from the committed lock file. Skip when the installed tree
# already matches the lock file (npm writes node_modules/.package-lock.json on install).
lock=verify/package-lock.json
installed=verify/node_modules/.package-lock.json
jar=verify/node_modules/vnu-jar/build/dist/vnu.jar
axe=verify/node_modules/axe-core/axe.min.js
lighthouse=verify/node_modules/.bin/lighthouse
if [ ! -f "$jar" ] || [ ! -f "$axe" ] || [ ! -e "$lighthouse" ] || [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
  echo "setup-verify: npm ci in verify/" >&2
  # --ignore-scripts: vnu-jar's postinstall only offers to fetch a Java runtime; the jar is in the package.
  (cd verify && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

java -version 2>&1 | head -1 >&2
chromium --version 2>/dev/null | head -1 >&2 || true
echo "setup-verify: ready" >&2
