-- A reload applies home.lua's `trace` table (docs/traces.md, "The trace switch"): rules
-- whose configured mode changed take the new one, the rings take a new size, and a
-- wrong table refuses the reload. Virtual clock throughout.
local test = require("eventrunner.test")
local E = require("er.engine").E

local RULES = "::hot:: #go => log('hot')\n::cold:: #go => log('cold')\n"

local function home(trace)
  return "return {devices = {}, trace = " .. trace .. "}\n"
end

local function mode(name) return E.er.trace(name) end

test.case("a reload changes the trace modes home.lua configures", function()
  test.start{}
  test.ok(test.reload({["home.lua"] = home("{rules = {hot = 'off'}}"), ["10-rules.er"] = RULES}).ok, "first reload")
  test.eq(mode("hot"), "off")
  test.eq(mode("cold"), "outcomes")
  local result = test.reload({["home.lua"] = home("{default = 'outcomes', rules = {cold = 'full'}}")})
  test.ok(result.ok, "second reload")
  test.eq(result.summary, {unchanged = 2, changed = 0, added = 0, removed = 0})
  test.eq(mode("hot"), "outcomes")
  test.eq(mode("cold"), "full")
  test.post({type = "go"})
  test.eq(#E.trace.records(E.rule_by_name.hot, "ran"), 1)
end)

test.case("a mode set at run time stays when home.lua's mode for the rule did not change", function()
  test.start{}
  test.reload({["home.lua"] = home("{rules = {hot = 'off'}}"), ["10-rules.er"] = RULES})
  E.er.trace("cold", "full")
  test.reload({["home.lua"] = home("{rules = {hot = 'full'}}")})
  test.eq(mode("cold"), "full")
  test.eq(mode("hot"), "full")
end)

test.case("a smaller ring size keeps the newest records", function()
  test.start{}
  test.reload({["home.lua"] = home("{size = 5}"), ["10-rules.er"] = RULES})
  for _ = 1, 5 do test.post({type = "go"}); test.advance("00:01") end
  local before = E.trace.records(E.rule_by_name.hot, "ran")
  test.eq(#before, 5)
  test.reload({["home.lua"] = home("{size = 2}")})
  local after = E.trace.records(E.rule_by_name.hot, "ran")
  test.eq(#after, 2)
  test.eq(after[1].at, before[1].at)
  test.eq(after[2].at, before[2].at)
  test.post({type = "go"})
  test.eq(#E.trace.records(E.rule_by_name.hot, "ran"), 2)
end)

test.case("a wrong trace table refuses the reload", function()
  test.start{}
  test.reload({["home.lua"] = home("{}"), ["10-rules.er"] = RULES})
  local result = test.reload({["home.lua"] = home("{default = 'loud'}")})
  test.eq(result.ok, false)
  test.eq(result.diagnostics[1].message, "home.lua: trace.default: unknown mode loud")
  test.eq(mode("hot"), "outcomes")
end)
