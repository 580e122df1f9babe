-- Spec 5: taskInitEx(fn, name, cbFun, ...) passes the extra arguments to fn and names
-- the task after the mailbox.
local co = sys.taskInitEx(function(a, b, c) print("args", a, b, c) sys.waitMsg("named") end, "named", nil, 1, nil, 3)
print(sys.taskInfo(co).name, sys.taskInfo(co).waiting_on)
--> args	1	nil	3
--> named	mailbox named
