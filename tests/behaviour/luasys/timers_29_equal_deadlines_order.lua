-- Checklist 29: timers with equal deadlines fire in start order; one stopped during
-- the pass does not fire; one started during the pass waits for a later pass.
local ids = {}
for i = 1, 5 do
  ids[i] = sys.timerStart(function()
    print("t", i)
    if i == 2 then
      sys.timerStop(ids[4])
      sys.timerStart(function() print("started meanwhile") end, 0)
    end
  end, 10)
end
sys.timerStart(function() print("A20") end, 20)
sys.timerStart(function()
  print("B10")
  sys.timerStart(function() print("C20") end, 10)
end, 10)
--> t	1
--> t	2
--> t	3
--> t	5
--> B10
--> started meanwhile
--> A20
--> C20
