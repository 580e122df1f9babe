#!/usr/bin/env bash
# Fails if a portable part includes an OS or threading header. core/, luabind/,
# lang/ and rules/ must build for ESP32; OS work lives in port/.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='<(unistd|pthread|fcntl|signal|poll|dlfcn|termios|sched|semaphore|windows|thread|mutex|condition_variable|shared_mutex|future|stop_token|barrier|latch|filesystem|csignal)\.?h?>|<sys/|<linux/|<freertos/|<esp_|"freertos/|"esp_'
status=0
for part in core luabind lang rules; do
  [ -d "$part" ] || continue
  if hits=$(grep -rnE "#\s*include\s*$forbidden" "$part" --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.c'); then
    echo "portability: OS or threading header in $part/:"
    echo "$hits"
    status=1
  fi
done
[ $status -eq 0 ] && echo "portability: core/ luabind/ lang/ rules/ include no OS or threading header"
exit $status
