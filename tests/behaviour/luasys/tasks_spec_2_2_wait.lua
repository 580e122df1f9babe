sys.taskInit(function() for i = 1, 2 do print("A", i) sys.wait(0) end end)
sys.taskInit(function() for i = 1, 2 do print("B", i) sys.wait(0) end end)
print(pcall(function() sys.wait(10) end))
print(pcall(sys.check_task))
--> A	1
--> B	1
--> false	ex.lua:3: sys.wait called outside a task; start one with sys.taskInit
--> false	sys.check_task called outside a task; start one with sys.taskInit
--> A	2
--> B	2

-- Spec 2.2 example, verbatim.
