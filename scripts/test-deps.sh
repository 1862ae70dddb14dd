#!/usr/bin/env bash
# Installs what `make test` needs beyond Go, for the browser suite
# (internal/browsertest): Debian's chromium, a Java runtime for the Nu HTML
# Checker, and the npm packages axe-core and vnu-jar (pinned, into the
# git-ignored .cache/npm). Idempotent and quiet when everything is present.
# apt-get needs root (CI runs as root) or password-less sudo; without either
# it says what is missing and the browser tests skip, except under CI=...,
# where they fail.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_CORE_VERSION=4.14.1
VNU_JAR_VERSION=26.9.27
NPM_DIR=.cache/npm

warn() { echo "test-deps: $*" >&2; }

# Another apt or dpkg (unattended-upgrades, another engineer's install) may
# hold the package locks: wait for it, up to APT_LOCK_WAIT seconds, rather
# than fail.
APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}

# apt_get runs apt-get; DPkg::Lock::Timeout makes it wait for dpkg's locks.
apt_get() {
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" "$@"
}

# apt_update runs apt-get update, which takes the package lists' lock
# (/var/lib/apt/lists/lock) that DPkg::Lock::Timeout does not cover: while
# another apt holds it, wait and try again. Any other failure is shown and
# fails at once.
apt_update() {
  local deadline=$((SECONDS + APT_LOCK_WAIT)) out said=0
  while ! out=$(apt_get update -qq 2>&1); do
    if ! grep -qE "Could not get lock|Unable to lock" <<<"$out" || [ "$SECONDS" -ge "$deadline" ]; then
      echo "$out" >&2
      return 1
    fi
    if [ "$said" = 0 ]; then
      warn "another apt holds the package lists' lock; waiting up to ${APT_LOCK_WAIT}s"
      said=1
    fi
    sleep 3
  done
}

sudo=""
apt_updated=0
apt_install() {
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      warn "missing $*; install it as root: apt-get install -y $*"
      return 0
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    warn "missing $* and there is no apt-get; install it by hand"
    return 0
  fi
  echo "test-deps: apt-get install $*" >&2
  if [ "$apt_updated" = 0 ]; then
    apt_update
    apt_updated=1
  fi
  apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Chromium, headless, driven by chromedp.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  apt_install chromium
fi

# The Nu HTML Checker is a jar.
if ! command -v java >/dev/null; then
  apt_install default-jre-headless
fi

# axe-core and vnu-jar from the npm registry, at the pinned versions.
installed() { # package version
  local pj="$NPM_DIR/node_modules/$1/package.json"
  [ -f "$pj" ] && grep -q "\"version\": *\"$2\"" "$pj"
}
if ! installed axe-core "$AXE_CORE_VERSION" || ! installed vnu-jar "$VNU_JAR_VERSION"; then
  if ! command -v npm >/dev/null; then
    apt_install nodejs npm
  fi
  if command -v npm >/dev/null; then
    echo "test-deps: npm install axe-core@$AXE_CORE_VERSION vnu-jar@$VNU_JAR_VERSION into $NPM_DIR" >&2
    mkdir -p "$NPM_DIR"
    npm install --prefix "$NPM_DIR" --no-audit --no-fund --save-exact --loglevel=error \
      "axe-core@$AXE_CORE_VERSION" "vnu-jar@$VNU_JAR_VERSION" >/dev/null
  else
    warn "missing npm; axe-core and vnu-jar not installed"
  fi
fi
