-- Rule traces (docs/traces.md): each outcome bucket, the false-term explanation and the
-- rings that keep a rare outcome among many dull ones. Virtual clock throughout.
local test = require("eventrunner.test")
local E = require("er.engine").E

local function records(name, outcome)
  return E.trace.records(E.rule_by_name[name], outcome)
end

local function newest(name, outcome) return records(name, outcome)[1] end

test.case("a run is recorded under ran with its trigger", function()
  test.start{time = "2025-05-14 23:00", home = "reference"}
  test.eval("::hall:: 66:breached => 55:on")
  test.set(66, "value", true)
  local rec = newest("hall", "ran")
  test.ok(rec, "a ran record")
  test.eq(rec.trigger, {type = "device", id = 66, property = "value", old = false, new = true})
  test.eq(#records("hall", "false"), 0)
end)

test.case("a false condition names the term that was false", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::night:: 66:breached & 22:00..06:00 => 55:on")
  test.set(66, "value", true)
  local rec = newest("night", "false")
  test.ok(rec, "a false record")
  test.eq(rec.term, "22:00..06:00")
  test.eq(rec.detail, "`22:00..06:00` was false")
  test.eq(#records("night", "ran"), 0)
end)

test.case("a comparison alone is named false without term reports in outcomes mode", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::cold:: 66:value < 0 => log('cold')")
  test.set(66, "value", 5)
  local rule = E.rule_by_name["cold"]
  test.eq(rule.cond, rule.cond_plain, "the plain condition: the comparison's reads are values, not parts")
  local rec = newest("cold", "false")
  test.eq(rec.term, "66:value < 0")
  test.eq(rec.detail, "`66:value < 0` was false")
  test.eq(rec.trigger.new, 5)
  test.eq(E.trace.mode(rule), "outcomes")
  test.eq(rule.trace.lean, true, "recorded whole when the evaluation ends")
  E.trace.set_mode(rule, "full")
  test.eq(rule.cond, rule.cond_traced, "full mode reports the reads")
  test.set(66, "value", 6)
  local values = newest("cold", "false").values
  test.eq(values[#values].term, "66:value")
  test.eq(values[#values].value, 6)
end)

test.case("nested & and | explain the group that was false", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::nested:: 66:breached & (22:00..06:00 | $Mode == 'away') => 55:on")
  test.set(66, "value", true)
  local rec = newest("nested", "false")
  test.eq(rec.term, "22:00..06:00 | $Mode == 'away'")
  test.eq(rec.detail, "`22:00..06:00 | $Mode == 'away'` was false: `22:00..06:00`, `$Mode == 'away'` each false")
end)

test.case("the first false part of an & is the one named", function()
  test.start{time = "2025-05-14 23:00", home = "reference"}
  test.eval("::first:: 66:breached & $Mode == 'away' & 22:00..06:00 => 55:on")
  test.set(66, "value", true)
  test.eq(newest("first", "false").term, "$Mode == 'away'")
end)

test.case("trueFor still pending is said so", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.set(67, "value", false)
  test.eval("::door:: trueFor(00:10, 67:isOpen) => log('open')")
  test.set(67, "value", true)
  local rec = newest("door", "false")
  test.eq(rec.term, "trueFor(00:10, 67:isOpen)")
  test.ok(rec.detail:find("still pending", 1, true), rec.detail)
  test.advance("00:10")
  test.ok(newest("door", "ran"), "ran once the ten minutes passed")
end)

test.case("cooldown, every and since suppress", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::cool:: 66:breached cooldown 00:10 => log('x')")
  test.eval("::third:: 66:breached every 3 => log('y')")
  test.eval("::wait5:: 66:breached since 00:05 => log('z')")
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.set(66, "value", true)
  test.eq(newest("cool", "suppressed").reason, "cooldown")
  test.eq(newest("third", "suppressed").reason, "every")
  test.eq(newest("wait5", "suppressed").reason, "since")
end)

test.case("debounce suppresses the run a newer one replaces; single cancels", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::deb:: 66:breached debounce 00:02 => 55:off")
  test.eval("::one:: 67:isOpen single => wait(00:10); log('closed?')")
  test.set(66, "value", true)
  test.set(66, "value", false)
  test.set(66, "value", true)
  test.eq(newest("deb", "suppressed").reason, "debounce")
  test.set(67, "value", false)
  test.set(67, "value", true)
  test.set(67, "value", false)
  test.set(67, "value", true)
  test.eq(newest("one", "cancelled").reason, "single")
end)

test.case("an error is recorded with its location; disabling cancels", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::bad:: 66:breached => local x = nil; x.y = 1")
  test.eval("::slow:: 67:isOpen => wait(00:10); log('late')")
  test.set(66, "value", true)
  local rec = newest("bad", "error")
  test.ok(rec and rec.error:find("attempt to index", 1, true), rec and rec.error)
  test.set(67, "value", false)
  test.set(67, "value", true)
  E.rule_by_name.slow:disable()
  test.eq(newest("slow", "cancelled").reason, "disabled")
end)

test.case("a one-leaf rule records its event when its action waits or its condition fails", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::later:: 66:value > 3 => wait(00:01); log('later')")
  test.eval("::broken:: 67:value > $Missing => log('never')")
  test.eq(E.rule_by_name.later.trace.lean, nil, "no book before the first evaluation")
  test.set(66, "value", 5)
  test.eq(E.rule_by_name.later.trace.lean, true, "outcomes mode, one leaf")
  test.advance("00:01")
  local ran = newest("later", "ran")
  test.ok(ran, "a ran record once the wait ended")
  test.eq(ran.trigger.new, 5)
  test.set(67, "value", 1)
  local failed = newest("broken", "error")
  test.ok(failed and failed.error:find("compare", 1, true), failed and failed.error)
  test.eq(failed.trigger.new, 1)
end)

test.case("full mode records term values, actions and waits", function()
  test.start{time = "2025-05-14 23:00", home = "reference"}
  E.trace.configure{rules = {full = "full"}}
  test.eval("::full:: 66:breached & 22:00..06:00 => 55:turnOn(); wait(1); 55:turnOff()")
  test.set(66, "value", true)
  test.advance(1)
  local rec = newest("full", "ran")
  test.eq(rec.values, {{term = "66:breached", kind = "test", value = true},
                       {term = "22:00..06:00", kind = "test", value = true}})
  test.eq(#rec.actions, 4)
  test.eq(rec.actions[2].wait, 1)
end)

test.case("off records nothing", function()
  test.start{time = "2025-05-14 23:00", home = "reference"}
  E.trace.configure{default = "off"}
  test.eval("::quiet:: 66:breached => 55:on")
  test.set(66, "value", true)
  test.eq(#records("quiet"), 0)
  test.eq(E.trace.mode(E.rule_by_name.quiet), "off")
end)

test.case("a rare error survives 10,000 dull runs", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::busy:: 66:breached => if $boom then error('rare') end; 55:on")
  E.er.globals.boom = true
  test.set(66, "value", true)
  E.rule_by_name.busy:enable()
  E.er.globals.boom = nil
  for i = 1, 5000 do
    test.set(66, "value", false)
    test.set(66, "value", true)
  end
  test.eq(#records("busy", "ran"), 20)
  test.eq(#records("busy", "error"), 1)
  test.ok(newest("busy", "error").error:find("rare", 1, true))
end)

test.case("each flush stores the rings as they are now, also after they wrapped", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::level:: 66:value > 100 => log('high')")
  local identity = E.rule_by_name.level.identity
  local function stored_false() return E.store.traces(identity)["false"] end
  for round = 1, 3 do
    for i = 1, 15 do test.set(66, "value", (round - 1) * 15 + i) end  -- All false: 1 to 45.
    E.trace.flush()
    local stored, kept = stored_false(), records("level", "false")
    test.eq(#stored, math.min(20, 15 * round), "records of round " .. round)
    test.eq(stored[1].trigger.new, round * 15, "the newest record first")
    for i = 1, #kept do test.eq(stored[i].trigger.new, kept[i].trigger.new, "record " .. i .. " of round " .. round) end
  end
end)

test.case("a timed flush writes a slice per pass; books changed after their slice wait", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::high1:: 66:value > 100 => log('1')")
  test.eval("::high2:: 66:value > 200 => log('2')")
  test.eval("::high3:: 66:value > 300 => log('3')")
  local slices = {}
  E.trace.on_flush(function(rules)
    slices[#slices + 1] = rules
    -- Between the round's passes, all three rules evaluate again.
    if #slices == 1 then E.devices.get(66):update("value", 2) end
  end)
  E.trace.set_flush_slice_us(0)  -- Every slice is over after its first book.
  test.set(66, "value", 1)       -- Three false evaluations: three books to write.
  test.advance(2000)
  E.trace.set_flush_slice_us(2000)
  test.eq(#slices, 3, "three slices")
  for i = 1, 3 do test.eq(#slices[i], 1, "one book in slice " .. i) end
  local function stored(rule) return #E.store.traces(rule.identity)["false"] end
  test.eq(stored(slices[1][1]), 1, "the book written first keeps its newer record for the next round")
  test.eq(stored(slices[2][1]), 2, "a book written later in the round has its newer record")
  test.eq(stored(slices[3][1]), 2, "so has the last")
end)

test.case("the traced twin is compiled on the rule's first traced evaluation", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  test.eval("::lazy:: 66:breached & 22:00..06:00 => 55:on")
  local rule = E.rule_by_name.lazy
  test.eq(rule.cond_traced, nil, "an idle rule carries no traced condition")
  test.set(66, "value", true)
  test.eq(type(rule.cond_traced), "function")
  test.eq(newest("lazy", "false").term, "22:00..06:00")
end)

test.case("an error in a traced condition is located as in the plain one", function()
  test.start{time = "2025-05-14 12:00", home = "reference"}
  E.trace.configure{default = "off"}
  test.eval("::plain1:: 66:breached & $Missing.level > 1 => 55:on")
  E.trace.configure{default = "full"}
  test.eval("::traced:: 66:breached & $Missing.level > 1 => 55:on")
  test.set(66, "value", true)
  local plain, traced = E.rule_by_name.plain1.disabled_error, E.rule_by_name.traced.disabled_error
  test.ok(plain and traced, "both rules were disabled by the error")
  test.eq(traced, plain)  -- Same-length names: the same columns.
  test.ok(newest("traced", "error").error == traced)
end)
