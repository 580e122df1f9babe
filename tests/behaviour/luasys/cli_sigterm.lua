-- luasys ex.lua
-- Spec 11: SIGTERM stops luasys after the current pass; hooks run; status 143.
sys.onShutdown(function() print("hook") end)
sys.timerLoopStart(function() end, 1000)
sys.timerStart(function()
  local shell = io.popen("kill -TERM $PPID")
  shell:close()
  print("after kill")
end, 5)
--> after kill
--> hook
-- exit status: 143
