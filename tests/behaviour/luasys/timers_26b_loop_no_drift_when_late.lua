-- Checklist 26 and spec 1.2: a loop timer's next deadline is the previous deadline plus
-- the period, even when it fires late, so the lateness does not carry over (no drift).
-- rtos.receive moves the virtual clock without running sys timers, which makes the
-- first fire 3 ms late; a drifting timer would then fire at 23 and 33.
local n, id = 0, nil
id = sys.timerLoopStart(function()
  n = n + 1
  print("loop", sys.now())
  if n == 3 then sys.timerStop(id) end
end, 10)
print(rtos.receive(13), sys.now())
--> -1	13
--> loop	13
--> loop	20
--> loop	30
