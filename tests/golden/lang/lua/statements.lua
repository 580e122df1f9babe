-- item 1: script at line 2
-- script: a, b = 1
local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    do
      local __t1, __t2 = 1
      __R.gs("a", __t1)
      __R.gs("b", __t2)
    end
    __R.gs("x", 5)
    do
      local __v = __R.gv("x", 1) + 2
      __R.gs("x", __v)
    end
    __R.gs("t", {a = 1})
    do
      local __o, __k = __R.gv("t", 2), "a"
      local __v = __o[__k] * 3
      __o[__k] = __v
    end
    __R.pset("Count", __R.coalesce(__R.pget("Count", 3), 0) + 1, 4)
    do
      local __v = __R.pget("Count", 5) - 1
      __R.pset("Count", __v, 6)
    end
    __R.gs("r", "")
    for i = 5, 1, -2 do
      __R.gs("r", __R.str(__R.gv("r", 7)) .. __R.str(i))
    end
    for k, v in __R.gv("pairs", 8)(__R.gv("t", 9)) do
      __R.gv("log", 10)("%s=%s", k, v)
    end
    while __R.gv("x", 11) > 0 do
      do
        local __v = __R.gv("x", 12) - 1
        __R.gs("x", __v)
      end
      if __R.gv("x", 13) == 3 then
        break
      end
    end
    repeat
      local y = __R.gv("x", 14)
      do
        local __v = __R.gv("x", 15) + 1
        __R.gs("x", __v)
      end
    until y > 4
    if __R.gv("x", 16) > 5 then
      __R.gs("r", "big")
    elseif __R.gv("x", 17) > 2 then
      __R.gs("r", "mid")
    elseif true then
      __R.gs("r", "small")
    end
    __R.gs("add", function(a, b)
      return a + b
    end)
    local function fact(n)
      if n <= 1 then
        return 1
      end
      return n * fact(n
        - 1)
    end
    __R.gs("obj", {n = 2})
    __R.gv("obj", 18).twice = function(self)
      return self.n * 2
    end
    do
      local z = 5
      do
        local __v = z % 3
        z = __v
      end
    end
    __R.prop(__env, __R.mcall(__env, 55, "on", 19, {55, 56}), "off", 20)
    __R.setprop(__env, 56, "value", 70, 21)
    __R.mcall(__env, 56, "setValue", 22, 70)
    do
      local __t3, __t4, __t5, __t6 = 1, true, {1}, 2
      __R.gs("x", __t3)
      __R.setprop(__env, 55, "value", __t4, 23)
      __R.pset("y", __t5, 24)
      __R.gv("t", 25).b = __t6
    end
    __R.gs("cozy", __R.gv("defineScene", 26)("cozy", {activate = {{56, "value", 80}, {__R.gv("hall", 27), "off", action = true}, {{55, 56}, "value", function() return __R.gv("level", 28) + 1 end}}}))
    do
      local __t7 = __R.gv("defineScene", 29)("movie", {activate = {{55, "off", action = true}}, deactivate = {{55, "on", action = true}, {56, "value", 99}}})
      __R.gs("movie", __t7)
      return __t7
    end
  end,
  positions = {4, 1, 6, 1, 7, 11, 7, 1, 8, 1, 8, 1, 11, 7, 13, 13, 13, 19, 14, 3, 16, 7, 17, 3, 18, 6, 21, 13, 22, 3, 25, 6, 26, 6, 32, 10, 37, 4, 38, 10, 39, 4, 40, 4, 41, 7, 41, 14, 41, 18, 42, 7, 42, 30, 42, 57, 43, 7},
}

