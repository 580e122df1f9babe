-- Spec 2.1: taskInitNamed sets the name, default names are task@<file>:<line>,
-- sys.coresume resumes like the loop and returns coroutine.resume's results, and
-- taskInit checks its argument.
local named = sys.taskInitNamed("worker", function(a) sys.wait(5) print("worker", a) end, "arg")
local anon = sys.taskInit(function()
  local v = coroutine.yield()
  print("anon got", v)
  return "ignored"
end)
print(sys.taskInfo(named).name, sys.taskInfo(anon).name)
print(sys.coresume(anon, "value"))
print(sys.taskInfo(anon).state)
print(pcall(function() sys.taskInit(nil) end))
print(sys.check_task == nil)
sys.taskInit(function() print(sys.check_task() == coroutine.running()) end)
--> worker	task@ex.lua:5
--> anon got	value
--> true	ignored
--> dead
--> false	ex.lua:13: bad argument #1 to 'taskInit' (function expected, got nil)
--> false
--> true
--> worker	arg
