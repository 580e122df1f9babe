-- Checklist 27: timerAdvStart(fn, ms, n) fires n + 1 times, 0 once, -1 until stopped;
-- a period under 1 ms with rep ~= 0 raises.
local function show(tag) print(tag, sys.now()) end
sys.timerAdvStart(show, 10, 2, "adv")
sys.timerAdvStart(show, 15, 0, "once")
local forever
forever = sys.timerAdvStart(function()
  show("forever")
  if sys.now() >= 45 then sys.timerStop(forever) end
end, 15, -1)
sys.timerAdvStart(show, 0, 0, "zero")
print(pcall(function() sys.timerAdvStart(print, 0, 1) end))
--> false	ex.lua:12: bad argument #2 to 'timerAdvStart' (period must be at least 1 ms)
--> zero	0
--> adv	10
--> once	15
--> forever	15
--> adv	20
--> forever	30
--> adv	30
--> forever	45
