-- Checklist 33: with COROUTINE_ERROR_RESTART = true a reported error (here a timer's)
-- reboots: the report, the WARN line, hooks newest first, exit status 75.
COROUTINE_ERROR_RESTART = true
sys.onShutdown(function() print("hook 1") end)
sys.onShutdown(function() print("hook 2") end)
sys.timerStart(function() error("bad timer") end, 5)
sys.timerStart(print, 10, "never")
--> hook 2
--> hook 1
--! 0.005 [ERROR] sys: timer 2097152 (ex.lua:6) failed: ex.lua:6: bad timer
--! 0.005 [WARN] rtos: reboot (error)
-- exit status: 75
