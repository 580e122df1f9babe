sys.taskInitNamed("bad", function() sys.wait(10) error("boom") end)
sys.timerStart(print, 20, "still running")
--> still running
--! 0.010 [ERROR] sys: task "bad" failed: ex.lua:1: boom

-- Spec 6.2 example, verbatim.
