-- A home with the home's own objects (docs/homes.md): two alarm partitions and the
-- home modes, for tests/rules/home_objects and the restart tests.
return {
  name = "objects",
  devices = {
    {id = 10, name = "lamp", type = "binarySwitch", props = {value = false}},
    {id = 11, name = "dimmer", type = "multilevelSwitch", props = {value = 20}},
    {id = 20, name = "door", type = "binarySensor", props = {value = false}},
    {id = 21, name = "window", type = "binarySensor", props = {value = false}},
    {id = 22, name = "garage_pir", type = "binarySensor", props = {value = false}},
  },
  alarm = {
    partitions = {
      {id = 1, name = "house", devices = {"door", 21}, exit_delay = 30, entry_delay = 20},
      {id = 2, name = "garage", devices = {"garage_pir"}},
    },
  },
  profiles = {"Home", "Away", "Night", "Vacation", active = "Home"},
}
