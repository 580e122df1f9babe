-- Home modes (EventRunner7's profiles) declared in home.lua (docs/eventscript.md
-- "Home modes"): home:profile, switching, and the events a switch posts.
local test = require("eventrunner.test")

local HOME = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") .. "/../homes/objects"

-- Checks that er.eval of `src` fails with a message containing `text`; returns it.
local function fails_with(src, text)
  local value, message = test.eval(src)
  test.eq(value, nil, "expected an error from " .. src)
  test.ok(message:find(text, 1, true), message)
  return message
end

test.case("the active mode is home.lua's `active` at the first start", function()
  test.start{home = HOME}
  test.eq(test.eval("return {home:profile, home:profileId, home:type}"), {"Home", 1, "home"})
end)

test.case("home:profile = name or id switches and posts both events", function()
  test.start{home = HOME}
  test.eval("#profile{property='activeProfile', value='$v', old='$o'} => "
    .. "log('profile %s -> %s (%s)', o, v, event.name)")
  test.eval("home:profile => log('mode is now %s', home:profile)")
  test.eval("home:profile = 'Away'")
  test.log_has("profile 1 -> 2 (Away)")
  test.log_has("mode is now Away")
  test.eval("home:profile = 3")
  test.eq(test.eval("return {home:profile, home:profileId}"), {"Night", 3})
  test.log_has("profile 2 -> 3 (Night)")
end)

test.case("switching to the active mode posts nothing", function()
  test.start{home = HOME}
  test.eval("#profile => log('switched')")
  test.eval("home:profile = 'Home'")
  test.log_lacks("switched")
end)

test.case("an unknown mode is a runtime error listing the modes", function()
  test.start{home = HOME}
  fails_with("home:profile = 'Party'", 'no home mode "Party" (modes: Home, Away, Night, Vacation)')
  test.eq(test.value("home", "profile"), "Home")
end)

test.case("a home without profiles has no home object", function()
  test.start{home = "reference"}
  fails_with("return home:profile", "Undefined variable: 'home'")
  local unsupported = fails_with("return 55:profile", "Device 55 (binarySwitch) does not support 'profile'")
  test.ok(not unsupported:find("not supported yet", 1, true), unsupported)
end)

test.case("bad profiles are clear errors", function()
  local profiles = require("er.engine").E.profiles
  local function problem(spec)
    test.start{home = "reference"}
    local ok, err = pcall(profiles.configure, spec)
    test.eq(ok, false)
    return err
  end
  test.eq(problem({}), 'profiles must be a list of mode names, such as {"Home", "Away", active = "Home"}')
  test.eq(problem({"Home", "Home"}), "profiles[2]: 'Home' is listed twice")
  test.eq(problem({"Home", 5}), "profiles[2] must be a non-empty string, got 5")
  test.eq(problem({"Home", active = "Away"}), 'profiles.active: "Away" is not one of the modes')
end)
