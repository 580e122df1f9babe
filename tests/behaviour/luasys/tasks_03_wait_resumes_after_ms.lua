-- Checklist 3: sys.wait(ms) resumes after ms and returns nothing; fractions round up.
sys.taskInit(function()
  print(select("#", sys.wait(100)), sys.now())
  sys.wait(1.5)
  print(sys.now())
  sys.wait(1)
  print(sys.now())
  sys.wait(2.01)
  print(sys.now())
end)
-- A timer between the deadlines shows the task did not wake early.
sys.timerStart(function() print("timer", sys.now()) end, 101)
--> 0	100
--> timer	101
--> 102
--> 103
--> 106
