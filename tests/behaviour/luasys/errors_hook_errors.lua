-- Spec 6.4: shutdown hooks run once, newest first, as callbacks: a failing hook is
-- reported and the older hooks still run; the exit status is unchanged.
sys.onShutdown(function() print("old hook") end)
sys.onShutdown(function() print("new hook") error("hook broke", 0) end)
sys.timerStart(print, 10, "work")
--> work
--> new hook
--> old hook
--~ hook broke
