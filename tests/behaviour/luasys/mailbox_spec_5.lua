sys.taskInitEx(function()
  print("job", sys.waitMsg("worker", "job")[2])
  print(sys.waitMsg("worker", "job", 100), sys.now())
  print(sys.cleanMsg("worker"), sys.taskDel("worker"))
  print(sys.cleanMsg("worker"), sys.sendMsg("worker"))
end, "worker", function(m) print("skipped", m[1]) end)
print(sys.sendMsg("worker", "noise"), sys_send("worker", "job", 42), sys.sendMsg("nobody"))
--> true	true	false
--> skipped	noise
--> job	42
--> nil	100
--> true
--> false	false

-- Spec 5 example, verbatim.
