-- The example home: a two-storey family house near Berlin, simulated.
--
--   eventrunner run examples/home --virtual --for 1d
--
-- This file describes the house: where it is (for sunrise and sunset), its devices
-- (standard types of the EventScript specification, §10.2), the trigger variables the
-- rules use, and a script of device reports that the simulated backend replays every
-- day, so that a simulated day has people moving, doors opening and temperatures
-- changing. The rules are in the *.er files next to this one, loaded in name order
-- (10-house.er first: it names the devices that the other files use).
--
-- Device ids are grouped by room so that a log line is easy to place:
-- 1x hall and entrance, 2x living room, 3x kitchen, 4x bathroom, 5x bedroom,
-- 6x outside, 7x climate, "garage" shows that ids may also be strings.

return {
  name = "Example home",
  location = {latitude = 52.52, longitude = 13.405, tz = "CET-1CEST,M3.5.0,M10.5.0/3"},

  devices = {
    -- Hall and entrance
    {id = 10, name = "hall_light", type = "binarySwitch", props = {value = false}},
    {id = 11, name = "hall_motion", type = "binarySensor",
     props = {value = false, batteryLevel = 90}},
    {id = 12, name = "front_door", type = "binarySensor",
     props = {value = false, batteryLevel = 85}},
    {id = 13, name = "hall_remote", type = "remoteController", props = {batteryLevel = 70}},
    -- Living room
    {id = 20, name = "living_dimmer", type = "multilevelSwitch", props = {value = 0}},
    {id = 21, name = "tv_backlight", type = "colorController", props = {value = 0}},
    {id = 22, name = "living_motion", type = "binarySensor",
     props = {value = false, batteryLevel = 60}},
    {id = 23, name = "living_lux", type = "multilevelSensor",
     props = {value = 400, batteryLevel = 95}},
    {id = 24, name = "living_shutter", type = "rollerShutter", props = {value = 0, position = 0}},
    {id = 25, name = "speaker", type = "player",
     props = {state = "stopped", volume = 20, mute = false}},
    {id = 26, name = "living_remote", type = "remoteController", props = {batteryLevel = 55}},
    {id = 27, name = "terrace_door", type = "binarySensor",
     props = {value = false, batteryLevel = 80}},
    -- Kitchen
    {id = 30, name = "kitchen_light", type = "multilevelSwitch", props = {value = 0}},
    {id = 31, name = "kitchen_motion", type = "binarySensor",
     props = {value = false, batteryLevel = 75}},
    {id = 32, name = "kitchen_window", type = "binarySensor",
     props = {value = false, batteryLevel = 88}},
    {id = 33, name = "coffee_maker", type = "binarySwitch", props = {value = false, power = 0}},
    -- Bathroom
    {id = 40, name = "bathroom_light", type = "binarySwitch", props = {value = false}},
    {id = 41, name = "bathroom_motion", type = "binarySensor",
     props = {value = false, batteryLevel = 21}},
    {id = 42, name = "bathroom_humidity", type = "multilevelSensor",
     props = {value = 55, batteryLevel = 90}},
    {id = 43, name = "bathroom_fan", type = "binarySwitch", props = {value = false}},
    -- Bedroom
    {id = 50, name = "bedroom_light", type = "multilevelSwitch", props = {value = 0}},
    {id = 51, name = "bedroom_window", type = "binarySensor",
     props = {value = false, batteryLevel = 64}},
    {id = 52, name = "bedroom_shutter", type = "rollerShutter", props = {value = 0, position = 0}},
    {id = 53, name = "bedroom_temp", type = "multilevelSensor",
     props = {value = 18.5, batteryLevel = 77}},
    -- Outside
    {id = 60, name = "porch_light", type = "binarySwitch", props = {value = false}},
    {id = 61, name = "garden_lights", type = "binarySwitch", props = {value = false}},
    {id = 62, name = "outdoor_temp", type = "multilevelSensor",
     props = {value = 6.5, batteryLevel = 68}},
    {id = "garage", name = "garage_door", type = "rollerShutter",
     props = {value = 0, position = 0}},
    -- Climate
    {id = 70, name = "heating", type = "thermostat",
     props = {value = 19.5, thermostatMode = "Heat", heatingThermostatSetpoint = 18}},
    {id = 71, name = "living_temp", type = "multilevelSensor",
     props = {value = 19.5, batteryLevel = 83}},
  },

  -- EventScript globals whose changes start rules (spec §5.2). NightMode is set by the
  -- rules at bedtime and in the morning; Guests could be switched by a host or a
  -- dashboard and keeps the guest room warm and the night routine quieter.
  trigger_vars = {NightMode = false, Guests = false},

  -- What the devices report during a simulated day. `days` limits an entry to some
  -- weekdays (a wday spec: "mon-fri", "sat,sun"). Button presses are event-only
  -- reports of centralSceneEvent. Entries at the same time apply in list order.
  simulation = {
    -- Night and early morning: it is cold outside.
    {at = "00:30", id = 62, prop = "value", value = 4.0},
    {at = "04:30", id = 62, prop = "value", value = 1.5},
    {at = "05:00", id = 53, prop = "value", value = 17.5},
    {at = "05:00", id = 71, prop = "value", value = 18.5},

    -- Getting up: hall, kitchen (coffee), bathroom (shower).
    {at = "06:40", id = 11, prop = "value", value = true},
    {at = "06:41", id = 11, prop = "value", value = false},
    {at = "06:45", id = 31, prop = "value", value = true},
    {at = "06:52", id = 31, prop = "value", value = false},
    {at = "06:55", id = 41, prop = "value", value = true},
    {at = "07:00", id = 42, prop = "value", value = 78},
    {at = "07:05", id = 62, prop = "value", value = 3.5},
    {at = "07:10", id = 71, prop = "value", value = 20.5},
    {at = "07:12", id = 41, prop = "value", value = false},
    {at = "07:20", id = 42, prop = "value", value = 68},
    {at = "07:35", id = 42, prop = "value", value = 57},

    -- Weekdays: everybody leaves at 07:45 and presses "leaving" (key 4) on the hall
    -- remote; they come back at 17:30 and press "home" (key 3).
    {at = "07:44", id = 11, prop = "value", value = true, days = "mon-fri"},
    {at = "07:44:30", id = 12, prop = "value", value = true, days = "mon-fri"},
    {at = "07:45", id = 13, prop = "centralSceneEvent",
     value = {keyId = 4, keyAttribute = "Pressed"}, days = "mon-fri"},
    {at = "07:45:20", id = 12, prop = "value", value = false, days = "mon-fri"},
    {at = "07:46", id = 11, prop = "value", value = false, days = "mon-fri"},
    {at = "17:30", id = 12, prop = "value", value = true, days = "mon-fri"},
    {at = "17:30:30", id = 13, prop = "centralSceneEvent",
     value = {keyId = 3, keyAttribute = "Pressed"}, days = "mon-fri"},
    {at = "17:31", id = 12, prop = "value", value = false, days = "mon-fri"},
    {at = "17:31", id = 11, prop = "value", value = true, days = "mon-fri"},
    {at = "17:33", id = 11, prop = "value", value = false, days = "mon-fri"},

    -- Weekends: someone airs the bedroom and works in the garden.
    {at = "09:30", id = 51, prop = "value", value = true, days = "sat,sun"},
    {at = "09:50", id = 51, prop = "value", value = false, days = "sat,sun"},
    {at = "11:00", id = 27, prop = "value", value = true, days = "sat,sun"},
    {at = "11:25", id = 27, prop = "value", value = false, days = "sat,sun"},
    {at = "14:00", id = "garage", prop = "value", value = 99, days = "sat,sun"},
    {at = "14:05", id = "garage", prop = "value", value = 0, days = "sat,sun"},

    -- The day warms up, the evening cools down; daylight in the living room.
    {at = "06:30", id = 23, prop = "value", value = 60},
    {at = "09:00", id = 23, prop = "value", value = 400},
    {at = "10:00", id = 62, prop = "value", value = 9.0},
    {at = "14:00", id = 62, prop = "value", value = 14.5},
    {at = "19:00", id = 62, prop = "value", value = 10.0},
    {at = "16:30", id = 23, prop = "value", value = 120},
    {at = "18:30", id = 23, prop = "value", value = 35},
    {at = "21:30", id = 23, prop = "value", value = 2},

    -- Evening: kitchen, cooking with the window open, dinner and a film.
    {at = "18:10", id = 31, prop = "value", value = true},
    {at = "18:15", id = 32, prop = "value", value = true},
    {at = "18:40", id = 32, prop = "value", value = false},
    {at = "18:45", id = 31, prop = "value", value = false},
    {at = "19:30", id = 22, prop = "value", value = true},
    {at = "19:45", id = 22, prop = "value", value = false},
    {at = "20:15", id = 26, prop = "centralSceneEvent",
     value = {keyId = 1, keyAttribute = "Pressed"}},
    {at = "20:16", id = 22, prop = "value", value = true},
    {at = "20:18", id = 22, prop = "value", value = false},
    -- Someone dims the living room light by hand: three reports while it moves.
    {at = "20:40", id = 20, prop = "value", value = 14},
    {at = "20:40:01", id = 20, prop = "value", value = 19},
    {at = "20:40:02", id = 20, prop = "value", value = 25},
    {at = "22:10", id = 26, prop = "centralSceneEvent",
     value = {keyId = 2, keyAttribute = "Pressed"}},

    -- Late: someone forgets the garage, the bathroom sensor's battery is running low,
    -- and a night walk through the hall.
    {at = "21:00", id = "garage", prop = "value", value = 99},
    {at = "22:00", id = 41, prop = "batteryLevel", value = 18},
    {at = "23:40", id = 11, prop = "value", value = true},
    {at = "23:41", id = 11, prop = "value", value = false},
    {at = "23:50", id = 62, prop = "value", value = 6.5},
  },
}
