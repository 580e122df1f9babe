-- item 1: script at line 2
-- script: a = 10 - 3 - 2
local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    __R.gs("a", 10 - 3 - 2)
    __R.gs("b", 2 ^ 3 ^ 2 + -2 ^ 2)
    __R.gs("c", not nil == true)
    __R.gs("d", (function(...) local __v = nil if __v == nil then __v = 1 == 1 end return __v end)(...))
    __R.gs("e", "T=" .. __R.str(20 / 5) .. __R.str(__R.gv("x", 1)))
    __R.gs("f", __R.between(36000, 50400, 2))
    __R.gs("g", ({10, 20, 30})[2] + ({a = 1})
      .a)
    __R.gs("h", (function(x) return x * 2 end)(21))
    __R.gs("i", (function(p, q) return p + q end)(1, 2))
    __R.gs("j", (function(...) local __r, __n = {}, 0 for k, v in __R.iter({a = 1}, 3) do local __e = k if __e ~= nil then __n = __n + 1; __r[__n] = __e end end return __r end)(...))
    __R.gs("k", __R.event("alarm", {zone = 3}).zone)
    __R.gs("l", {type = "tick"})
    __R.gs("m", __R.today(28800, 4) + __R.next_time(64800, 5)
      + __R.from_now(600, 6))
    __R.gs("n2", __R.date(2025, 12, 24, 64800, 7) - __R.date(nil, 12, 24, 0, 8))
    __R.gs("o", function(s, ...)
      return s, __R.gv("select", 9)("#", ...)
    end)
    __R.gs("p", __R.mcall(__env, "abc", "upper", 10))
    __R.gs("q", __R.gv("x", 11) and __R.gv("y", 12) or not __R.gv("z", 13))
    do
      local __t1 = 1 < 2 and 3
        >= 4 and 5 ~= 6
      __R.gs("r", __t1)
      return __t1
    end
  end,
  positions = {6, 23, 7, 10, 11, 20, 14, 5, 14, 15, 14, 25, 15, 6, 15, 25, 16, 32, 17, 13, 18, 5, 18, 9, 18, 14},
}

