-- Lua 5.4 lets a coroutine yield across pcall, so sys waits work inside pcall'd code
-- and an error after the wait is caught by that pcall, not reported.
sys.taskInit(function()
  print(pcall(function() sys.wait(10) return "ok", sys.now() end))
  print(pcall(function() sys.waitUntil("X", 5) error("after wait", 0) end))
  print("task goes on", sys.now())
end)
--> true	ok	10
--> false	after wait
--> task goes on	15
