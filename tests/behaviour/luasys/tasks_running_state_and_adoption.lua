-- Spec 0 and 2.4: a task resuming another coroutine is "running"; a plain coroutine
-- that calls a sys wait is adopted as a task.
sys.taskInitNamed("outer", function()
  local me = coroutine.running()
  local inner = coroutine.create(function()
    print("outer seen from inner", sys.taskInfo(me).state)
  end)
  coroutine.resume(inner)
end)
local plain = coroutine.create(function(x)
  sys.wait(10)
  print("adopted woke", x, sys.now())
end)
coroutine.resume(plain, "p")
print("adopted", sys.taskInfo(plain).state, sys.taskInfo(plain).waiting_on, sys.taskInfo(plain).wake_at)
--> outer seen from inner	running
--> adopted	waiting	sleep	10
--> adopted woke	p	10
