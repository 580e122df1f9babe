#!/usr/bin/env bash
# Watch EventRunner switch "real" MQTT devices without any hardware: starts a private
# mosquitto on a free loopback port, fake Zigbee2MQTT, Tasmota and Home Assistant
# devices that speak the real protocols (tools/fake_devices), and `eventrunner run` on
# this home; the devices then play scene.txt (motion, a button press, the doorbell, a
# sensor dropping off the network). Ctrl-C stops everything.
#
#   examples/mqtt-home/run.sh            # builds first if needed
#   FOR=30s examples/mqtt-home/run.sh    # stop after 30 s
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$root/build/bin
if [ ! -x "$bin/eventrunner" ] || [ ! -x "$bin/fake-devices" ]; then "$root/scripts/build.sh"; fi
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: one that nothing answers on.
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 30000))
while ! port_is_free "$port"; do port=$((20000 + RANDOM % 30000)); done

printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$work/mosquitto.conf"
"$mosquitto" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do port_is_free "$port" || break; sleep 0.1; done
broker=mqtt://127.0.0.1:$port
echo "run.sh: broker $broker"

"$bin/fake-devices" --broker "$broker" \
  --z2m hall/motion=motion --z2m hall/lamp=light --z2m hall/button=button \
  --tasmota coffee=plug --ha-light kitchen_light --script "$here/scene.txt" \
  > >(grep --line-buffered -v ' <- ') &  # Show the commands the devices receive.
pids+=($!)

MQTT_BROKER=$broker "$bin/eventrunner" run "$here" --state none ${FOR:+--for "$FOR"}
