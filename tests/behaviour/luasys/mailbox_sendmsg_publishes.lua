-- Spec 5: sendMsg publishes the mailbox's name (without arguments), so ordinary
-- subscribers see it; sys_send is sendMsg.
sys.taskInitEx(function() sys.wait(10) end, "box")
sys.subscribe("box", function(...) print("published", select("#", ...)) end)
print(sys.sendMsg("box", "a", 1), sys_send("box", "b"))
--> true	true
--> published	0
--> published	0
