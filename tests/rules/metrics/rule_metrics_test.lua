-- er.metrics on the virtual clock (docs/metrics.md): what each rule's runs are counted
-- as, the engine-wide figures, and the Prometheus text of a snapshot.
local test = require("eventrunner.test")

local E = require("er.engine").E
local metrics = require("er.metrics")

local function figures(name)
  for _, r in ipairs(E.metrics.snapshot().rules) do
    if r.name == name then return r end
  end
  error("no rule " .. name)
end

local function counts(r) return {r.runs, r.conditions, r.actions, r.errors} end

test.case("runs, condition evaluations and actions are counted per rule", function()
  test.start{}
  test.eval("::big:: #reading{n = '$n'} & n > 1 => log('big')")
  test.post({type = "reading", n = 1})  -- The condition is false: a run without an action.
  test.post({type = "reading", n = 5})
  test.eq(counts(figures("big")), {2, 2, 1, 0})
end)

test.case("a manual start is a run without a condition", function()
  test.start{}
  local rule = test.eval("::manual:: #never => log('started')")
  rule:start()
  test.eq(counts(figures("manual")), {1, 0, 1, 0})
end)

test.case("a runtime error is counted against its rule", function()
  test.start{}
  test.eval("::broken:: #boom => local t = nil; return t.field")
  test.post({type = "boom"})
  test.eq(counts(figures("broken")), {1, 1, 1, 1})
end)

test.case("time in wait() is suspended time, on the engine clock; a waiting run is in flight", function()
  test.start{}
  test.eval("::slow:: #go => wait(00:05); log('one'); wait(30); log('two')")
  test.post({type = "go"})
  test.eq(figures("slow").in_flight, 1)
  test.eq(E.metrics.snapshot().engine.runs_in_flight, 1)
  test.advance("00:05:30")
  local r = figures("slow")
  test.eq(r.suspended_seconds, 330.0)
  test.eq(r.in_flight, 0)
  test.eq(counts(r), {1, 1, 1, 0})
end)

test.case("run time is real time, counted over every slice of a run; mean and max follow", function()
  test.start{}
  test.eval("::busy:: #go => local x = 0; for i = 1, 20000 do x = x + i end; wait(1); for i = 1, 20000 do x = x + i end")
  test.post({type = "go"})
  local first = figures("busy").run_seconds
  test.ok(first > 0, "the first slice took some time")
  test.advance(1)
  local r = figures("busy")
  test.ok(r.run_seconds > first, "the slice after the wait is counted too")
  test.ok(r.max_seconds > 0 and r.max_seconds <= r.run_seconds)
  test.eq(r.mean_seconds, r.run_seconds / r.runs)
end)

test.case("events delivered to rules are counted engine-wide", function()
  test.start{}
  test.eval("#ping => log('pong')")
  local before = E.metrics.snapshot().engine.events
  for _ = 1, 3 do test.post({type = "ping"}) end
  local engine = E.metrics.snapshot().engine
  test.eq(engine.events - before, 3)
  test.ok(engine.heap_bytes > 0)
  test.ok(engine.bus_slots > 0)
  test.eq(engine.bus_dropped, 0)
  test.eq(engine.loop_lag.p99_seconds, 0.0, "the virtual clock fires every timer on time")
end)

test.case("rules come busiest first", function()
  test.start{}
  test.eval("::idle:: #never => log(1)")
  test.eval("::worker:: #go => local x = 0; for i = 1, 50000 do x = x + i end")
  test.post({type = "go"})
  test.eq(E.metrics.snapshot().rules[1].name, "worker")
end)

-- The text format ----------------------------------------------------------------------

test.case("the Prometheus text has HELP and TYPE lines before each family's samples", function()
  test.start{}
  test.eval("::hall_night:: #go => log(1)")
  test.post({type = "go"})
  local text = E.metrics.prometheus(E.metrics.snapshot(), {version = "1.0.0", home = "flat"})
  test.ok(text:find('# HELP eventrunner_rule_runs_total ', 1, true))
  test.ok(text:find('# TYPE eventrunner_rule_runs_total counter\neventrunner_rule_runs_total{rule="hall_night"} 1\n',
    1, true), text)
  test.ok(text:find('eventrunner_loop_lag_seconds{quantile="0.99"} 0', 1, true))
  test.ok(text:find('\neventrunner_loop_lag_seconds_count ', 1, true))
  test.ok(text:find('eventrunner_info{version="1.0.0",home="flat"} 1', 1, true))
  test.eq(text:sub(-1), "\n")
end)

test.case("label values and HELP texts are escaped as the format says", function()
  local text = metrics.exposition({{name = "x_total", type = "counter", help = "a \\ b\nc",
    samples = {{labels = {{"rule", 'say "hi"\\\n'}}, value = 2}}}})
  test.eq(text, '# HELP x_total a \\\\ b\\nc\n# TYPE x_total counter\nx_total{rule="say \\"hi\\"\\\\\\n"} 2\n')
end)

test.case("numbers are written exactly, and the special values by name", function()
  test.eq({metrics.number_text(3), metrics.number_text(0.25), metrics.number_text(1 / 0),
           metrics.number_text(-1 / 0), metrics.number_text(0 / 0)}, {"3", "0.25", "+Inf", "-Inf", "NaN"})
end)

test.case("a source's figures become families; a table of numbers one sample per key", function()
  test.start{}
  E.metrics.add_source("demo", function() return {hits = 4, by_kind = {b = 2, a = 1}} end, {
    {"hits", "eventrunner_demo_hits_total", "counter", "Hits."},
    {"by_kind", "eventrunner_demo_kinds_total", "counter", "By kind.", "kind"}})
  local snapshot = E.metrics.snapshot()
  test.eq(snapshot.demo.hits, 4)
  local text = E.metrics.prometheus(snapshot, {})
  test.ok(text:find('eventrunner_demo_hits_total 4\n', 1, true))
  test.ok(text:find('eventrunner_demo_kinds_total{kind="a"} 1\neventrunner_demo_kinds_total{kind="b"} 2\n', 1, true))
  E.metrics.add_source("demo", function() return nil end, {})  -- Nothing now: no family.
  test.ok(not E.metrics.prometheus(E.metrics.snapshot(), {}):find("demo", 1, true))
end)
