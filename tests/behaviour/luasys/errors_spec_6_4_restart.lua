COROUTINE_ERROR_RESTART = true
sys.onShutdown(function() print("saving") end)
sys.taskInit(function() sys.wait(5) error("fatal") end)
sys.timerStart(print, 10, "never")
--> saving
--! 0.005 [WARN] rtos: reboot (error)
-- exit status: 75

-- Spec 6.4 example, verbatim.
