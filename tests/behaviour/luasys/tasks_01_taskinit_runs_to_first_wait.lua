-- Checklist 1: taskInit runs the task to its first wait, with its arguments (trailing
-- nils kept), and returns the coroutine.
local inside
local co = sys.taskInit(function(a, ...)
  inside = coroutine.running()
  print("task", a, select("#", ...), ...)
  sys.wait(10)
  print("after wait", sys.now())
end, "x", nil, 3, nil)
print("returned", type(co), co == inside, coroutine.status(co))
print("info", sys.taskInfo(co).state, sys.taskInfo(co).co == co)
--> task	x	3	nil	3	nil
--> returned	thread	true	suspended
--> info	waiting	true
--> after wait	10
