-- luasys --virtual-time --for 1s ex.lua
-- Spec 1.2: the deadline is now + ms; a huge ms must not wrap around into the past
-- (such timers simply never come due within the run).
sys.timerStart(print, math.maxinteger, "never")
sys.timerLoopStart(print, math.maxinteger - 1, "never either")
sys.taskInit(function() sys.wait(math.maxinteger) print("never wakes") end)
sys.timerStart(print, 500, "half a second")
--> half a second
