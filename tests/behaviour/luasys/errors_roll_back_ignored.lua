-- Spec 6.4: COROUTINE_ERROR_ROLL_BACK is ignored, and COROUTINE_ERROR_RESTART only
-- counts when it is exactly true.
COROUTINE_ERROR_ROLL_BACK = true
COROUTINE_ERROR_RESTART = 1
sys.taskInit(function() error("x") end)
sys.timerStart(print, 10, "still here")
--> still here
--! 0.000 [ERROR] sys: task "task@ex.lua:5" failed: ex.lua:5: x
