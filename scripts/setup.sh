#!/usr/bin/env bash
# Installs the Debian packages the project needs (run as root on Debian 12).
# Packages already installed are not fetched again, so a warm machine costs nothing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  liblua5.4-dev lua5.4
  libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev
  libmosquitto-dev nlohmann-json3-dev
  libmicrohttpd-dev libgnutls28-dev  # the control API's server; GnuTLS (its TLS) gives SHA-1
  libcurl4-openssl-dev libedit-dev   # console and ctl (HTTP client, line editing); HTTP tests
  mosquitto mosquitto-clients  # the broker and clients the MQTT tests start themselves
  openssl                      # the MQTT TLS test makes its own CA and certificates
  clang libclang-rt-14-dev
  python3        # the control API and console tests (tests/api, standard library only)
  bsdextrautils  # column(1), used by scripts/bench.sh
  chromium       # the web console's browser tests (tests/web), headless
)
# node and npm bundle the web console (web/); a machine that has them from elsewhere
# (nodesource, nvm) keeps those.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web console's npm packages, exactly as web/package-lock.json pins them. No test
# tool may fetch a browser of its own: the tests use Debian's chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
web_dir="$(dirname "$0")/../web"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: warning: node $(node --version) is older than 20, which playwright-core (the browser tests) needs;" \
       "the web console still builds" >&2
fi
if [ ! -d "$web_dir/node_modules" ] || [ "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in web/"
  (cd "$web_dir" && npm ci --no-audit --no-fund)
fi
