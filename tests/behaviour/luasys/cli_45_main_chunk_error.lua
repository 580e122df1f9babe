-- Checklist 45: an uncaught error in the main chunk exits 1 with "luasys: <message>"
-- and a traceback on stderr; shutdown hooks run; timers never fire.
sys.onShutdown(function() print("hook") end)
sys.timerStart(print, 10, "not reached")
print("before")
error("main failed")
--> before
--> hook
--! luasys: ex.lua:6: main failed
--~ stack traceback:
-- exit status: 1
