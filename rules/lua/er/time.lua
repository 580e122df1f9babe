-- er.time: EventScript's clock and calendar (spec §9, §3.5, §1.6, §11, §12 er.config).
--
-- Installs the time operators of R (between, today, next_time, from_now, date), the
-- dynamic values now, midnight, sunrise, sunset, dawn, dusk, wnum (and daily, weekly,
-- monthly for '@daily' and friends, EventRunner7's uptime, uptimeMinutes, uptimeStr),
-- the built-ins HM HMS wday day month date osdate ostime nextDST (and `os` with those as
-- time and date) and er.config into the base's tables
-- (engine.lua), and returns T, the helpers other modules use:
--
--   T.SHORT                 31536000: values below it are short times (§9.1)
--   T.is_short(v)           v is a number below SHORT
--   T.day([epoch])          the local day of epoch (default: now), cached (below)
--   T.local_time(epoch)     os.date("*t")-like table in the configured zone
--   T.wall_clock(day, t)    epoch of wall-clock t % 86400 on a day table (§9.3)
--   T.today_at(t)           t/t: epoch of today's wall-clock time t
--   T.next_at(t)            n/t
--   T.now()                 local wall-clock seconds since midnight
--   T.on_config(fn)         fn() runs after er.config changed the zone or place,
--                           and after clock_moved
--   T.clock_moved()         tells that the engine clock was set (set_epoch_ms)
--   T.HM(t), T.HMS(t), T.osdate(format, t)   the built-ins of the same names
--
-- A day table holds midnight, next_midnight (epochs), year, month, day, wday (1 =
-- Sunday), wnum, sunrise, sunset, dawn, dusk (short times), and the UTC offsets of the
-- day. The table of today is cached and replaced when the clock leaves its day, so
-- reading `now` or `sunset` costs a comparison and some arithmetic.

local M = {}

local SHORT = 31536000
local DAY = 86400

local floor = math.floor
local tointeger = math.tointeger

--- Installs the time operators, dynamic values, built-ins and er.config into base's
--- R, dynamic, G and er; returns T (above). `random` is er.builtins' object (its
--- set_seed gets er.config{seed=}).
function M.new(base, random)
  local native = base.native
  -- The reference setting's instant (docs/reference.md#reference-setting); its place
  -- is the engine's default place (er::Place), which base.reset restores.
  local T = {SHORT = SHORT, REFERENCE_TIME = "2025-05-14 12:00:00"}

  -- Whole seconds of a time value; fractions are dropped (clock reads are whole
  -- seconds, §9.2).
  local function whole(v)
    return tointeger(v) or floor(v)
  end

  -- Day tables --------------------------------------------------------------------

  local today = nil   -- The cached day table of the engine clock's day.

  local function in_day(day, epoch)
    return day ~= nil and epoch >= day.midnight and epoch < day.next_midnight
  end

  -- The day containing `epoch` (default: now). Today's is cached.
  function T.day(epoch)
    epoch = epoch or base.epoch()
    if in_day(today, epoch) then return today end
    local day = native.day_info(whole(epoch))
    if in_day(day, base.epoch()) then today = day end
    return day
  end

  -- The UTC offset in force at `epoch`, which lies in `day`.
  local function offset_in(day, epoch)
    local change = day.change_at
    if change ~= nil and epoch >= change then return day.offset_after end
    return day.offset
  end

  function T.now()
    local epoch = base.epoch()
    local day = T.day(epoch)
    return (epoch + offset_in(day, epoch)) % DAY
  end

  function T.is_short(v)
    return type(v) == "number" and v < SHORT
  end

  function T.local_time(epoch)
    local year, month, day, hour, min, sec, wday, yday, isdst = native.local_time(whole(epoch))
    return {year = year, month = month, day = day, hour = hour, min = min, sec = sec,
            wday = wday, yday = yday, isdst = isdst}
  end

  -- §9.3: a skipped time is the transition, a repeated one its first occurrence.
  function T.wall_clock(day, t)
    return (native.from_local(day.year, day.month, day.day, whole(t) % DAY))
  end

  function T.today_at(t)
    return T.wall_clock(T.day(), t)
  end

  function T.next_at(t)
    local epoch = base.epoch()
    local day = T.day(epoch)
    local at = T.wall_clock(day, t)
    if at > epoch then return at end
    return (native.from_local(day.year, day.month, day.day + 1, whole(t) % DAY))
  end

  local config_hooks = {}
  function T.on_config(fn) config_hooks[#config_hooks + 1] = fn end

  -- The engine clock was set (native.set_epoch_ms: test.start, --start): today's values
  -- and the scheduler's midnight follow, as after a change of zone.
  function T.clock_moved()
    today = nil
    for _, fn in ipairs(config_hooks) do fn() end
  end

  -- The zone er.config last set (nil: the host's), noted in the state file so that a
  -- reader without the engine shows times as the engine does.
  local zone = nil
  function T.zone() return zone end

  base.on_reset(function()
    native.restore_place()
    today, zone = nil, nil
  end)

  M.install_dynamic(base, T)
  M.install_uptime(base)
  M.install_operators(base, T)
  M.install_builtins(base, T)
  T.HM, T.HMS, T.osdate = base.G.HM, base.G.HMS, base.G.osdate
  M.install_config(base, T, random, function() today = nil end, config_hooks, function(tz) zone = tz end)
  return T
end

-- EventRunner7's uptime values and nextDST ----------------------------------------------

-- ER7 reads its gateway's uptime; here it is the engine's, on the loop clock (simulated
-- under test and --virtual), from its start (or test.start): `uptime` in seconds,
-- `uptimeMinutes`, and `uptimeStr` ("1 days, 3 hours, 12 minutes"). nextDST() is the
-- epoch of the zone's next DST change, nil where there is none.
function M.install_uptime(base)
  local native, dynamic = base.native, base.dynamic
  local started_ms = native.loop_ms()
  base.on_reset(function() started_ms = native.loop_ms() end)
  local function uptime() return (native.loop_ms() - started_ms) // 1000 end
  dynamic.uptime = uptime
  dynamic.uptimeMinutes = function() return uptime() // 60 end
  dynamic.uptimeStr = function()
    local s = uptime()
    return string.format("%d days, %d hours, %d minutes", s // DAY, s % DAY // 3600, s % 3600 // 60)
  end
  function base.G.nextDST() return native.next_transition(floor(base.epoch())) end
end

-- EventRunner7's string times, for post ----------------------------------------------

local SUN = {sunrise = true, sunset = true, dawn = true, dusk = true}

-- "HH:MM[:SS]" -> seconds, or a sun name with an optional offset in minutes
-- ("sunset+10") -> its name and the offset in seconds.
local function clock_or_sun(text)
  local h, m, s = text:match("^(%d+):(%d%d):?(%d*)$")
  if h ~= nil then return tonumber(h) * 3600 + tonumber(m) * 60 + (tonumber(s) or 0) end
  local sun, offset = text:match("^(%a+)([+-]?%d*)$")
  if sun == nil or not SUN[sun] or offset == "+" or offset == "-" then return nil end
  return nil, sun, (tonumber(offset) or 0) * 60
end

-- The epoch of today's (or, with `next`, the next) time given by clock_or_sun.
local function instant_of(base, T, clock, sun, offset, next)
  if clock ~= nil then return next and T.next_at(clock) or T.today_at(clock) end
  local day = T.day()
  local at = day.midnight + day[sun] + offset
  if next and at <= base.epoch() then
    local tomorrow = T.day(day.next_midnight)
    at = tomorrow.midnight + tomorrow[sun] + offset
  end
  return at
end

--- A post time written as text, as EventRunner7 takes it: "HH:MM[:SS]", "+HH:MM",
--- "+/HH:MM" (that long from now), "-HH:MM" (never), "t/HH:MM" (today at),
--- "n/HH:MM" or "@HH:MM" (the next such time); a sun name with an optional offset in
--- minutes ("sunset", "t/sunset+10", "n/sunrise-5") in place of HH:MM, where a bare
--- one is the next. Returns a number post takes, or nil and an error message.
function M.post_time(base, T, text)
  local prefix, rest = text:match("^([tn+]/)(.*)$")
  if prefix == nil then prefix, rest = text:match("^([+@]?)(.*)$") end
  local negative = false
  if prefix == "" and rest:sub(1, 1) == "-" then negative, rest = true, rest:sub(2) end
  local clock, sun, offset = clock_or_sun(rest)
  if clock == nil and sun == nil then
    return nil, "post: bad time '" .. text .. "' (expected HH:MM[:SS], +/HH:MM, t/HH:MM, n/HH:MM or sunset+10)"
  end
  if negative then return -1 end
  if prefix == "t/" then return instant_of(base, T, clock, sun, offset, false) end
  if prefix == "n/" or prefix == "@" or sun ~= nil and prefix == "" then
    return instant_of(base, T, clock, sun, offset, true)
  end
  if sun ~= nil then return nil, "post: bad time '" .. text .. "' (a sun time needs t/ or n/, or none)" end
  return clock  -- "HH:MM", "+HH:MM", "+/HH:MM": that long from now.
end

--- post (core.post) that also takes EventRunner7's string times (M.post_time).
function M.with_string_times(base, T, post)
  return function(ev, t)
    if type(t) == "string" then
      local seconds, problem = M.post_time(base, T, t)
      if seconds == nil then error(problem, 2) end
      t = seconds
    end
    return post(ev, t)
  end
end

-- Dynamic values (§9.2, §9.5, §9.6) and the '@daily' family (§7.5) ------------------

function M.install_dynamic(base, T)
  local dynamic = base.dynamic
  dynamic.now = T.now
  dynamic.midnight = function() return T.day().midnight end
  dynamic.sunrise = function() return T.day().sunrise end
  dynamic.sunset = function() return T.day().sunset end
  dynamic.dawn = function() return T.day().dawn end
  dynamic.dusk = function() return T.day().dusk end
  dynamic.wnum = function() return T.day().wnum end
  -- @daily is 00:00 every day; @weekly and @monthly are long times, the instant of the
  -- current week's Monday 00:00 and of the month's first 00:00: a long '@' time fires
  -- only on its own day, so they fire on Mondays and on the first of the month.
  dynamic.daily = function() return 0 end
  dynamic.weekly = function()
    local day = T.day()
    local back = (day.wday + 5) % 7   -- Days since Monday (wday 1 is Sunday).
    return (base.native.from_local(day.year, day.month, day.day - back, 0))
  end
  dynamic.monthly = function()
    local day = T.day()
    return (base.native.from_local(day.year, day.month, 1, 0))
  end
end

-- Operators of R (RI §4.3, §4.4) -----------------------------------------------------

local function arithmetic_operand(base, x, p)
  if type(x) == "number" then return x end
  local n = tonumber(x)
  if n ~= nil and type(x) == "string" then return n end
  base.fail(p, "attempt to perform arithmetic on a " .. type(x) .. " value")
end

function M.install_operators(base, T)
  local R = base.R

  -- §3.5: inclusive; short times compare with `now`, across midnight when a > b.
  function R.between(a, b, p)
    if type(a) ~= "number" or type(b) ~= "number" then
      base.fail(p, "'..' is the between operator on times; use '++' to join strings")
    end
    local short_a, short_b = a < SHORT, b < SHORT
    if short_a and short_b then
      local w = T.now()
      if a <= b then return a <= w and w <= b end
      return w >= a or w <= b
    end
    if short_a or short_b then base.fail(p, "cannot mix short and long times in '..'") end
    local epoch = base.epoch()
    return a <= epoch and epoch <= b
  end

  -- t/x, n/x: wall-clock times today / next; a long x is already an instant.
  function R.today(x, p)
    x = arithmetic_operand(base, x, p)
    if x >= SHORT then return x end
    return T.today_at(x)
  end

  function R.next_time(x, p)
    x = arithmetic_operand(base, x, p)
    if x >= SHORT then return x end
    return T.next_at(x)
  end

  function R.from_now(x, p)
    return base.epoch() + arithmetic_operand(base, x, p)
  end

  -- Date literals (§1.6): year nil is the current local year; day overflow rolls over.
  function R.date(year, month, day, seconds, p)
    year = year or T.day().year
    return (base.native.from_local(year, month, day, seconds))
  end
end

-- Built-ins (§9.6, §9.7, §11) ---------------------------------------------------------

local function clock_text(seconds, with_seconds)
  local h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
  if with_seconds then return string.format("%02d:%02d:%02d", h, m, s) end
  return string.format("%02d:%02d", h, m)
end

-- Seconds after midnight HM/HMS show: of t % 86400 for a short t, of the local time
-- of a long t.
local function shown_seconds(base, T, t, name)
  if type(t) ~= "number" then
    error(name .. ": expected a number, got " .. type(t), 0)
  end
  t = tointeger(t) or floor(t)
  if t < SHORT then return t % DAY end
  local lt = T.local_time(t)
  return lt.hour * 3600 + lt.min * 60 + lt.sec
end

-- Calendar tests: each spec text is parsed once and kept.
local function calendar_test(base, kind)
  local native = base.native
  local cache = {}
  return function(spec)
    if type(spec) == "number" then spec = tostring(spec) end
    local parsed = cache[spec]
    if parsed == nil then
      if type(spec) ~= "string" then
        error("bad " .. kind .. " spec: '" .. tostring(spec) .. "'", 0)
      end
      local message
      parsed, message = native.calendar_spec(kind, spec)
      if parsed == nil then error(message, 0) end
      cache[spec] = parsed
    end
    return native.calendar_matches(parsed, base.epoch())
  end
end

-- os.date on the engine clock and zone: the local time formatted as UTC, with %z and
-- %Z replaced by the configured zone's offset and name.
local function format_date(base, T, format, epoch)
  local native = base.native
  if format:sub(1, 1) == "!" then return os.date(format, epoch) end
  if format:sub(1, 2) == "*t" then return T.local_time(epoch) end
  local offset = select(10, native.local_time(epoch))
  local zoned = format:gsub("%%.", function(spec)
    if spec == "%z" then
      local sign = offset < 0 and "-" or "+"
      local a = math.abs(offset)
      return string.format("%s%02d%02d", sign, a // 3600, a // 60 % 60)
    elseif spec == "%Z" then
      return (native.zone_abbreviation(epoch):gsub("%%", "%%%%"))
    end
    return spec
  end)
  return os.date("!" .. zoned, epoch + offset)
end

local function date_field(tbl, key, default)
  local v = tbl[key]
  if v == nil then
    if default == nil then error("field '" .. key .. "' missing in date table", 0) end
    return default
  end
  local n = math.tointeger(v)
  if n == nil then error("field '" .. key .. "' is not an integer", 0) end
  return n
end

-- os.time on the engine clock and zone; like Lua 5.4 it normalises the table's fields.
-- isdst = false picks the second occurrence of a repeated time, otherwise the first.
local function make_time(base, T, tbl)
  if tbl == nil then return base.epoch() end
  if type(tbl) ~= "table" then
    error("bad argument #1 to 'ostime' (table expected, got " .. type(tbl) .. ")", 0)
  end
  local year, month, day = date_field(tbl, "year"), date_field(tbl, "month"), date_field(tbl, "day")
  local seconds = date_field(tbl, "hour", 12) * 3600 + date_field(tbl, "min", 0) * 60
                  + date_field(tbl, "sec", 0)
  local first, last = base.native.from_local(year, month, day, seconds)
  local epoch = (tbl.isdst == false) and last or first
  for k, v in pairs(T.local_time(epoch)) do tbl[k] = v end
  return epoch
end

function M.install_builtins(base, T)
  local G = base.G
  function G.HM(t) return clock_text(shown_seconds(base, T, t, "HM"), false) end
  function G.HMS(t) return clock_text(shown_seconds(base, T, t, "HMS"), true) end
  G.wday = calendar_test(base, "wday")
  G.day = calendar_test(base, "day")
  G.month = calendar_test(base, "month")
  G.date = calendar_test(base, "date")
  function G.osdate(format, t)
    format = format or "%c"
    if type(format) ~= "string" then
      error("bad argument #1 to 'osdate' (string expected, got " .. type(format) .. ")", 0)
    end
    local epoch = t == nil and base.epoch() or floor(t)
    return format_date(base, T, format, epoch)
  end
  function G.ostime(tbl) return make_time(base, T, tbl) end
  -- EventScript sees os.time and os.date on the engine clock too (§9.2); the rest of
  -- os is Lua's. The engine's own Lua keeps the real os.
  G.os = setmetatable({time = G.ostime, date = G.osdate}, {__index = os})
end

-- er.config (§12) -----------------------------------------------------------------------

function M.install_config(base, T, random, forget_day, hooks, set_zone)
  local native = base.native

  local function check_number(name, v)
    if v ~= nil and type(v) ~= "number" then
      error("er.config: " .. name .. " must be a number, got " .. type(v), 3)
    end
  end

  base.er.config = function(opts)
    if type(opts) ~= "table" then error("er.config: expected a table", 2) end
    check_number("latitude", opts.latitude)
    check_number("longitude", opts.longitude)
    if opts.latitude ~= nil and not (opts.latitude >= -90 and opts.latitude <= 90) then
      error("er.config: latitude must be between -90 and 90, got " .. tostring(opts.latitude), 2)
    end
    if opts.longitude ~= nil and not (opts.longitude >= -180 and opts.longitude <= 180) then
      error("er.config: longitude must be between -180 and 180, got " .. tostring(opts.longitude), 2)
    end
    if opts.tz ~= nil then
      local ok, message = native.set_zone(tostring(opts.tz))
      if not ok then error("er.config: bad tz '" .. tostring(opts.tz) .. "': " .. message, 2) end
      set_zone(tostring(opts.tz))
    end
    if opts.latitude ~= nil or opts.longitude ~= nil then
      local lat, lon = native.location()
      native.set_location(opts.latitude or lat, opts.longitude or lon)
    end
    if opts.seed ~= nil then random.set_seed(opts.seed) end
    if opts.tz ~= nil or opts.latitude ~= nil or opts.longitude ~= nil then
      forget_day()
      for _, fn in ipairs(hooks) do fn() end
    end
  end
end

return M
