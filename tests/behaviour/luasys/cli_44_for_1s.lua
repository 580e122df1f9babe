-- luasys --virtual-time --for 1s ex.lua
-- Checklist 44: --for 1s fires the timers due at exactly 1000 ms (in start order),
-- then stops after that pass, runs the hooks and exits 0; the clock never passes 1000.
sys.onShutdown(function() print("hook", sys.now()) end)
sys.timerStart(print, 1000, "due at 1000")
sys.timerStart(print, 1001, "due at 1001")
sys.taskInit(function() sys.wait(1000) print("task at", sys.now()) end)
--> due at 1000
--> task at	1000
--> hook	1000
