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

apt_updated=0
apt_install() {
  local sudo=""
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
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
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
