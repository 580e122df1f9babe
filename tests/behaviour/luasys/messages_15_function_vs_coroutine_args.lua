-- Checklist 15: function subscribers get args... (no id); coroutine subscribers are
-- resumed with id, args...
sys.subscribe("E", function(...) print("fn", select("#", ...), ...) end)
sys.taskInit(function()
  sys.subscribe("E", coroutine.running())
  local got = table.pack(coroutine.yield())
  print("co", got.n, table.unpack(got, 1, got.n))
end)
sys.publish("E", "a", nil)
--> fn	2	a	nil
--> co	3	E	a	nil
