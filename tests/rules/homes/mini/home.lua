-- A small home for the tests of `eventrunner run` and test.start{home = <folder>}:
-- a lamp, a motion sensor and a remote, one trigger variable and a scripted day.
return {
  name = "mini",
  location = {latitude = 52.52, longitude = 13.405, tz = "CET-1CEST,M3.5.0,M10.5.0/3"},
  devices = {
    {id = 1, name = "lamp", type = "binarySwitch", props = {value = false}},
    {id = 2, name = "motion", type = "binarySensor", props = {value = false}},
    {id = "remote", name = "remote", type = "remoteController"},
  },
  trigger_vars = {Away = false},
  simulation = {
    {at = "07:00", id = 2, prop = "value", value = true},
    {at = "07:00:30", id = 2, prop = "value", value = false},
    {at = "12:00", id = "remote", prop = "centralSceneEvent",
     value = {keyId = 1, keyAttribute = "Pressed"}, days = "sat,sun"},
  },
}
