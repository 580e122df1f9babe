-- Spec 1.1 step 5: a pass resumes only the tasks that were in sys.wait(ms < 1) before
-- it began, in call order; a task that enters it during the pass waits for the next.
sys.taskInit(function()
  sys.waitUntil("GO")
  print("got GO")
  sys.wait(0)
  print("after wait(0)")
end)
sys.taskInit(function()
  for i = 1, 3 do print("spinner", i) sys.wait(0) end
end)
sys.publish("GO")
--> spinner	1
--> got GO
--> spinner	2
--> after wait(0)
--> spinner	3
-- also-real-time
