-- Spec 2.1: sys.coresume resumes like the loop (an error is reported as a task error)
-- and returns coroutine.resume's results, also for a dead coroutine.
local co = sys.taskInitNamed("c", function()
  local v = coroutine.yield()
  error("after resume " .. v, 0)
end)
print(sys.coresume(co, "v"))
print(sys.coresume(co))
--> false	after resume v
--> false	cannot resume dead coroutine
--! 0.000 [ERROR] sys: task "c" failed: after resume v
