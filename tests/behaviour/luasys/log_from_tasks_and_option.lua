-- luasys --virtual-time --log-level WARN ex.lua
-- Spec 8 and 11: --log-level sets the starting level; log works from tasks and
-- callbacks with the loop clock.
print(log.getLevel())
sys.taskInit(function()
  sys.wait(10)
  log.info("task", "hidden")
  log.warn("task", "at", sys.now())
end)
sys.timerStart(function() log.error("timer", "fired") end, 2500)
--> 3
--! 0.010 [WARN] task: at 10
--! 2.500 [ERROR] timer: fired
-- stderr: exact
