-- A flat whose devices are real MQTT devices: a Zigbee2MQTT bridge (motion sensor,
-- lamp, button), a Tasmota plug and a light announced by Home Assistant discovery.
-- run.sh starts a private broker and fake devices for it; to use your own broker, set
-- MQTT_BROKER (e.g. mqtt://192.168.1.10:1883) and run `eventrunner run examples/mqtt-home`.
return {
  name = "MQTT flat",
  location = {latitude = 52.52, longitude = 13.405, tz = "CET-1CEST,M3.5.0,M10.5.0/3"},
  mqtt = {
    broker = os.getenv("MQTT_BROKER") or "mqtt://127.0.0.1:1883",
    base_topic = "eventrunner",
    publish = {globals = true, rules = true},
  },
  devices = {
    {id = 11, name = "hall_motion", type = "binarySensor", mqtt = {zigbee2mqtt = "hall/motion"}},
    {id = 10, name = "hall_lamp", type = "binarySwitch", mqtt = {zigbee2mqtt = "hall/lamp"}},
    {id = 13, name = "hall_button", type = "remoteController", mqtt = {zigbee2mqtt = "hall/button"}},
    {id = 33, name = "coffee_maker", type = "binarySwitch", mqtt = {tasmota = "coffee"}},
    {id = 30, name = "kitchen_light", type = "multilevelSwitch", mqtt = {homeassistant = "kitchen_light"}},
  },
}
