local n, id = 0
id = sys.timerLoopStart(function()
  n = n + 1
  print("tick", n, sys.now())
  if n == 3 then sys.timerStop(id) end
end, 20)
sys.timerAdvStart(print, 50, 1, "adv")
--> tick	1	20
--> tick	2	40
--> adv
--> tick	3	60
--> adv

-- Spec 4.2 example, verbatim.
