-- Spec 0 and 5: require returns the preloaded modules; sys_pub is sys.publish and
-- sys_send / sys_wait are the mailbox functions.
print(require("sys") == sys, require("rtos") == rtos, require("log") == log)
print(require("sysplus").sendMsg == sys.sendMsg, sys_pub == sys.publish)
sys.subscribe("P", function(x) print("P", x) end)
sys_pub("P", "via sys_pub")
sys.taskInitEx(function()
  print("mail", sys_wait("box", nil, 100)[1])
end, "box")
print(sys_send("box", "hello"))
--> true	true	true
--> true	true
--> true
--> P	via sys_pub
--> mail	hello
