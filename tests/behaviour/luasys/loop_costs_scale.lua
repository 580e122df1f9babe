-- Spec 12: timer start, stop and fire are O(log n); identity lookups (timerStop(fn,
-- ...), timerIsActive(fn, ...)) O(1) average, never a scan; publish O(1) amortised;
-- subscribe/unsubscribe O(1) average. Here 20,000 timers share one callback (as rule
-- engines do) and 20,000 functions share one id: each phase must take well under
-- half a second of CPU (a correct implementation needs about 10 ms), where a scan
-- per call (quadratic in total) takes seconds.
local N = 20000
local function cpu_ok(label, fn)
  local t0 = os.clock()
  fn()
  print(label, os.clock() - t0 < 0.5)
end
local fired = 0
local function f() fired = fired + 1 end
cpu_ok("start", function() for i = 1, N do sys.timerStart(f, 1000, i) end end)
cpu_ok("is_active", function() for i = 1, N do assert(sys.timerIsActive(f, i)) end end)
cpu_ok("stop", function() for i = 1, N do sys.timerStop(f, i) end end)
cpu_ok("start_again", function() for i = 1, N do sys.timerStart(f, 10 + i % 7, i) end end)
cpu_ok("fire", function() sys.run() end)
for i = 1, N do sys.timerStart(f, 10, i) end
cpu_ok("stop_all", function() sys.timerStopAll(f) end)
print(fired, rtos.stats().timers)
local funcs = {}
for i = 1, N do funcs[i] = function() end end
cpu_ok("subscribe", function() for i = 1, N do sys.subscribe("S", funcs[i]) end end)
cpu_ok("unsubscribe", function() for i = 1, N do sys.unsubscribe("S", funcs[i]) end end)
local delivered = 0
sys.subscribe("P", function() delivered = delivered + 1 end)
cpu_ok("publish", function()
  for i = 1, 4 * N do sys.publish("P", i) end
  sys.run()
end)
print(delivered)
--> start	true
--> is_active	true
--> stop	true
--> start_again	true
--> fire	true
--> stop_all	true
--> 20000	0
--> subscribe	true
--> unsubscribe	true
--> publish	true
--> 80000
