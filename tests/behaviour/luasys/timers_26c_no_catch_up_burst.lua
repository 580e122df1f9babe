-- Checklist 26 and spec 1.2: when a loop timer fires late, its next deadline is the
-- previous one plus the period, or now plus the period if that is not later: no
-- burst of catch-up fires. rtos.receive moves the virtual clock without running sys
-- timers, which makes the loop timer 25 ms late here.
local n, id = 0, nil
id = sys.timerLoopStart(function()
  n = n + 1
  print("loop", sys.now())
  if n == 3 then sys.timerStop(id) end
end, 10)
print(rtos.receive(35), sys.now())
--> -1	35
--> loop	35
--> loop	45
--> loop	55
