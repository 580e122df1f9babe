-- Checklist 36: waitMsg returns the oldest match, gives the skipped older messages to
-- cbFun, waits for sendMsg up to ms (nil on timeout), false without the mailbox.
sys.taskInitEx(function()
  local m = sys.waitMsg("w", "b")
  print("got", m[1], m[2], m[3])
  m = sys.waitMsg("w")
  print("any", m[1])
  print("timeout", sys.waitMsg("w", "zzz", 30), sys.now())
  m = sys.waitMsg("w", "late", 100)
  print("late", m[2], sys.now())
  print("no mailbox", sys.waitMsg("nobox"))
end, "w", function(m) print("cb", m[1], m[2]) end)
sys.sendMsg("w", "a", 1)
sys.sendMsg("w", "b", 2, nil)
sys.sendMsg("w", "c", 3)
sys.timerStart(sys.sendMsg, 50, "w", "late", 5)
--> cb	a	1
--> got	b	2	nil
--> any	c
--> timeout	nil	30
--> late	5	50
--> no mailbox	false
