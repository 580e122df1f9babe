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
)

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
