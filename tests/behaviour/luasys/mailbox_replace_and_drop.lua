-- Spec 5: taskInitEx replaces a mailbox of the same name with an empty one; without
-- cbFun skipped messages are dropped; sendMsg keeps every argument.
sys.taskInitEx(function() sys.wait(100) end, "box")
print(sys.sendMsg("box", "old"))
sys.taskInitEx(function()
  local m = sys.waitMsg("box", "new")
  print("got", m[1], m[2], m[3], m[4], m[5], m[6])
  print("left", sys.waitMsg("box", nil, 10))
end, "box")
print(sys.sendMsg("box", "skip", 1))
print(sys.sendMsg("box", "new", 1, 2, 3, 4, 5))
--> true
--> true
--> true
--> got	new	1	2	3	4	5
--> left	nil
