-- item 1: rule at line 2
-- trigger device device/66/value @2:1
-- rule: 66:breached => 55:on; wait(00:05); 55:off
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  checks = function(__env)
    return {66, "breached", "get", 1, 55, "on", "get", 2, 55, "off", "get", 3}
  end,
  cond = function(__env)
    return __R.prop(__env, 66, "breached", 1)
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 2)
    __R.gv("wait", 4)(300)
    __R.prop(__env, 55, "off", 3)
  end,
  positions = {2, 4, 2, 19, 2, 39, 2, 23},
}

-- item 2: rule at line 3
-- trigger device device/66/value @3:1
-- trigger between between @3:15
-- rule: 66:breached & 22:00..06:00 => 55:on
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  nowait = true,
  bounded = true,
  checks = function(__env)
    return {66, "breached", "get", 1, 55, "on", "get", 2}
  end,
  edges = {
    {function(__env)
      return 79200
    end, function(__env)
      return 21600
    end,},
  },
  cond = function(__env)
    return __R.prop(__env, 66, "breached", 1) and __R.between(79200, 21600, 3)
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 2)
  end,
  positions = {3, 4, 3, 34, 3, 20},
}

-- item 3: rule at line 4
-- trigger global global/Mode @4:1
-- trigger device device/66/value @4:19
-- rule: $Mode == "away" & 66:breached => post(#alarm{zone = "hall", level = 3})
local __R = ...
return {
  kind = "rule",
  triggers = {"global/Mode", "device/66/value"},
  checks = function(__env)
    return {66, "breached", "get", 1}
  end,
  cond = function(__env)
    return __R.pget("Mode", 2) == "away" and __R.prop(__env, 66, "breached", 1)
  end,
  action = function(__env)
    __R.gv("post", 3)(__R.event("alarm", {zone = "hall", level = 3}))
  end,
  positions = {4, 22, 4, 1, 4, 34},
}

-- item 4: rule at line 5
-- trigger event event/alarm @5:1
-- trigger_fn: evaluated at definition
-- rule: #alarm{zone = "$z", level = "$l>2"} => log("zone %s level %d", z, l)
local __R = ...
return {
  kind = "rule",
  triggers = {"event/alarm"},
  trigger_fn = function(__env)
    return {devices = {}, patterns = {__R.event("alarm", {zone = "$z", level = "$l>2"}),}}
  end,
  cond = function(__env)
    return __R.match(__env, 1)
  end,
  action = function(__env)
    local z = __env.cap["z"]
    local l = __env.cap["l"]
    __R.gv("log", 1)("zone %s level %d", z, l)
  end,
  positions = {5, 40},
}

-- item 5: rule at line 6
-- trigger event event/custom @6:1
-- trigger_fn: evaluated at definition
-- rule: {type = "custom", id = "$id"} => log(id)
local __R = ...
return {
  kind = "rule",
  triggers = {"event/custom"},
  trigger_fn = function(__env)
    return {devices = {}, patterns = {{type = "custom", id = "$id"},}}
  end,
  cond = function(__env)
    return __R.match(__env, 1)
  end,
  action = function(__env)
    local id = __env.cap["id"]
    __R.gv("log", 1)(id)
  end,
  positions = {6, 34},
}

-- item 6: rule at line 7
-- trigger daily daily @7:1
-- candidate variable sunset
-- rule: @sunset - 00:30 => 55:on
local __R = ...
return {
  kind = "rule",
  triggers = {},
  candidates = {"sunset"},
  nowait = true,
  bounded = true,
  checks = function(__env)
    return {55, "on", "get", 1}
  end,
  daily = {
    function(__env)
      return __R.gv("sunset", 2) - 1800
    end,
  },
  cond = function(__env)
    return __R.at(__env, 1)
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 1)
  end,
  positions = {7, 23, 7, 2},
}

-- item 7: rule at line 8
-- trigger daily daily @8:1
-- candidate variable catch
-- rule: @{07:00, 19:00, catch} => 55:toggle
local __R = ...
return {
  kind = "rule",
  triggers = {},
  candidates = {"catch"},
  nowait = true,
  bounded = true,
  checks = function(__env)
    return {55, "toggle", "get", 1}
  end,
  daily = {
    function(__env)
      return {25200, 68400, __R.gv("catch", 2)}
    end,
  },
  cond = function(__env)
    return __R.at(__env, 1)
  end,
  action = function(__env)
    __R.prop(__env, 55, "toggle", 1)
  end,
  positions = {8, 30, 8, 17},
}

-- item 8: rule at line 9
-- trigger daily daily @9:1
-- rule: @08:00 & wday("mon-fri") => 55:on
local __R = ...
return {
  kind = "rule",
  triggers = {},
  nowait = true,
  checks = function(__env)
    return {55, "on", "get", 1}
  end,
  daily = {
    function(__env)
      return 28800
    end,
  },
  cond = function(__env)
    return __R.at(__env, 1) and __R.gv("wday", 2)("mon-fri")
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 1)
  end,
  positions = {9, 32, 9, 10},
}

-- item 9: rule at line 10
-- trigger daily daily @10:1
-- replan global/WakeUp
-- rule: @$WakeUp => 55:on
local __R = ...
return {
  kind = "rule",
  triggers = {},
  replan = {"global/WakeUp"},
  nowait = true,
  bounded = true,
  checks = function(__env)
    return {55, "on", "get", 1}
  end,
  daily = {
    function(__env)
      return __R.pget("WakeUp", 2)
    end,
  },
  cond = function(__env)
    return __R.at(__env, 1)
  end,
  action = function(__env)
    __R.prop(__env, 55, "on", 1)
  end,
  positions = {10, 16, 10, 2},
}

-- item 10: rule at line 11
-- trigger interval interval 900 @11:1
-- rule: @@00:15 => log("tick")
local __R = ...
return {
  kind = "rule",
  triggers = {},
  interval = {aligned = false, seconds = function(__env)
    return 900
  end, p = 1},
  cond = function(__env)
    return __R.interval(__env)
  end,
  action = function(__env)
    __R.gv("log", 2)("tick")
  end,
  positions = {11, 3, 11, 12},
}

-- item 11: rule at line 12
-- trigger interval interval 3600 @12:1
-- rule: @@-01:00 => log("hourly")
local __R = ...
return {
  kind = "rule",
  triggers = {},
  interval = {aligned = true, seconds = function(__env)
    return 3600
  end, p = 1},
  cond = function(__env)
    return __R.interval(__env)
  end,
  action = function(__env)
    __R.gv("log", 2)("hourly")
  end,
  positions = {12, 4, 12, 13},
}

-- item 12: rule at line 13
-- trigger device device/67/value @13:16
-- rule: trueFor(00:10, 67:isOpen) => log("open %d min", 10 * again(3))
local __R = ...
return {
  kind = "rule",
  triggers = {"device/67/value"},
  checks = function(__env)
    return {67, "isOpen", "get", 1}
  end,
  cond = function(__env)
    return __R.true_for(__env, 1, 600, __R.prop(__env, 67, "isOpen", 1), 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("open %d min", 10 * __R.again(__env, 3, 4))
  end,
  positions = {13, 19, 13, 1, 13, 30, 13, 54},
}

-- item 13: rule at line 14
-- trigger device device/77/value @14:6
-- rule: once(77:temp > 25) => log("warm")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/77/value"},
  checks = function(__env)
    return {77, "temp", "get", 1}
  end,
  cond = function(__env)
    return __R.once(__env, 1, __R.prop(__env, 77, "temp", 1) > 25, 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("warm")
  end,
  positions = {14, 9, 14, 1, 14, 23},
}

-- item 14: rule at line 15
-- candidate variable lamp
-- trigger_fn: evaluated at definition
-- rule: lamp:isOn & {lamp, 67}:value => log("dynamic")
local __R = ...
return {
  kind = "rule",
  triggers = {},
  candidates = {"lamp"},
  trigger_fn = function(__env)
    return {devices = {{"value", __R.gv("lamp", 1)}, {"value", {__R.gv("lamp", 2), 67}},}, patterns = {}}
  end,
  checks = function(__env)
    return {__R.gv("lamp", 3), "isOn", "get", 4, {__R.gv("lamp", 5), 67}, "value", "get", 6}
  end,
  cond = function(__env)
    return __R.prop(__env, __R.gv("lamp", 7), "isOn", 4) and __R.prop(__env, {__R.gv("lamp", 8), 67}, "value", 6)
  end,
  action = function(__env)
    __R.gv("log", 9)("dynamic")
  end,
  positions = {15, 1, 15, 14, 15, 1, 15, 6, 15, 14, 15, 24, 15, 1, 15, 14, 15, 33},
}

-- item 15: rule at line 16
-- trigger device device/66/value @16:1
-- rule: 66:breached debounce 00:02 => 55:off
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  single = true,
  checks = function(__env)
    return {66, "breached", "get", 1, 55, "off", "get", 2}
  end,
  cond = function(__env)
    return __R.prop(__env, 66, "breached", 1)
  end,
  action = function(__env)
    __R.wait(__env, 120, 3)
    __R.prop(__env, 55, "off", 2)
  end,
  positions = {16, 4, 16, 34, 16, 13},
}

-- item 16: rule at line 17
-- trigger device device/67/value @17:1
-- rule: 67:isOpen cooldown 00:10 => log("door")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/67/value"},
  checks = function(__env)
    return {67, "isOpen", "get", 1}
  end,
  cond = function(__env)
    return __R.prop(__env, 67, "isOpen", 1) and __R.cooldown(__env, 1, 600, 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("door")
  end,
  positions = {17, 4, 17, 11, 17, 29},
}

-- item 17: rule at line 18
-- trigger device device/66/value @18:1
-- rule: 66:breached every 3 => log("third")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  checks = function(__env)
    return {66, "breached", "get", 1}
  end,
  cond = function(__env)
    return __R.prop(__env, 66, "breached", 1) and __R.every(__env, 1, 3, 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("third")
  end,
  positions = {18, 4, 18, 13, 18, 24},
}

-- item 18: rule at line 19
-- trigger device device/66/value @19:1
-- rule: 66:breached first_in 06:00..09:00 => log("first")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  checks = function(__env)
    return {66, "breached", "get", 1}
  end,
  cond = function(__env)
    return __R.prop(__env, 66, "breached", 1) and __R.first_in(__env, 1, 21600, 32400, 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("first")
  end,
  positions = {19, 4, 19, 13, 19, 38},
}

-- item 19: rule at line 20
-- trigger device device/66/value @20:1
-- rule: 66:breached since 00:05 single => log("five minutes")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/66/value"},
  single = true,
  checks = function(__env)
    return {66, "breached", "get", 1}
  end,
  cond = function(__env)
    return __R.true_for(__env, 1, 300, __R.prop(__env, 66, "breached", 1), 2)
  end,
  action = function(__env)
    __R.gv("log", 3)("five minutes")
  end,
  positions = {20, 4, 20, 13, 20, 35},
}

-- item 20: rule at line 21
-- trigger device device/88/centralSceneEvent @21:1
-- rule: 88:key == "1:Pressed" => 55:toggle
local __R = ...
return {
  kind = "rule",
  triggers = {"device/88/centralSceneEvent"},
  nowait = true,
  bounded = true,
  checks = function(__env)
    return {88, "key", "get", 1, 55, "toggle", "get", 2}
  end,
  cond = function(__env)
    return __R.prop(__env, 88, "key", 1) == "1:Pressed"
  end,
  action = function(__env)
    __R.prop(__env, 55, "toggle", 2)
  end,
  positions = {21, 4, 21, 29},
}

-- item 21: rule at line 22
-- trigger device device/77/value @22:1
-- trigger device device/78/value @22:1
-- rule: {77, 78}:value:average > 22 => log("warm")
local __R = ...
return {
  kind = "rule",
  triggers = {"device/77/value", "device/78/value"},
  checks = function(__env)
    return {{77, 78}, "value", "get", 1}
  end,
  cond = function(__env)
    return __R.prop(__env, __R.prop(__env, {77, 78}, "value", 1), "average", 2) > 22
  end,
  action = function(__env)
    __R.gv("log", 3)("warm")
  end,
  positions = {22, 10, 22, 16, 22, 32},
}

-- item 22: rule at line 23
-- trigger event event/startup @23:1
-- trigger_fn: evaluated at definition
-- rule: #startup => return BREAK
local __R = ...
return {
  kind = "rule",
  triggers = {"event/startup"},
  nowait = true,
  bounded = true,
  trigger_fn = function(__env)
    return {devices = {}, patterns = {__R.event("startup", {}),}}
  end,
  cond = function(__env)
    return __R.match(__env, 1)
  end,
  action = function(__env)
    return __R.gv("BREAK", 1)
  end,
  positions = {23, 20},
}

-- item 23: rule at line 24
-- trigger event event/go @24:1
-- trigger_fn: evaluated at definition
-- rule: #go => {55, 56}:value = 70; "garage":close(); x:off; if $Mode == "away" then 56:setValue(30) end
local __R = ...
return {
  kind = "rule",
  triggers = {"event/go"},
  trigger_fn = function(__env)
    return {devices = {}, patterns = {__R.event("go", {}),}}
  end,
  checks = function(__env)
    return {{55, 56}, "value", "set", 1, "garage", "close", "call", 2, "x", "off", "name_get", 3, 56, "setValue", "call", 4}
  end,
  cond = function(__env)
    return __R.match(__env, 1)
  end,
  action = function(__env)
    __R.setprop(__env, {55, 56}, "value", 70, 1)
    __R.mcall(__env, "garage", "close", 2)
    __R.prop(__env, __R.gv("x", 5), "off", 3)
    if __R.pget("Mode", 6) == "away" then
      __R.mcall(__env, 56, "setValue", 4, 30)
    end
  end,
  positions = {24, 17, 24, 38, 24, 49, 24, 81, 24, 47, 24, 57},
}

