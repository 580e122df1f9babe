-- The home of the web console's browser tests (tests/web/run.mjs): a few devices of
-- each kind the pages show (switch, dimmer, sensors).
return {
  name = "web-test home",
  devices = {
    {id = 55, name = "hall_lamp", type = "binarySwitch", props = {value = false}},
    {id = 66, name = "hall_motion", type = "binarySensor", props = {value = false}},
    {id = 20, name = "living_dimmer", type = "multilevelSwitch", props = {value = 0}},
    {id = 70, name = "garden_temp", type = "multilevelSensor", props = {value = 12}},
  },
}
