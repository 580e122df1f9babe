-- luasys ex.lua
-- Spec 11: SIGINT stops luasys after the current pass; hooks run; status 130.
sys.onShutdown(function() print("hook") end)
sys.timerLoopStart(function() end, 1000)
sys.timerStart(function()
  local shell = io.popen("kill -INT $PPID")
  shell:close()
  print("after kill")
end, 5)
--> after kill
--> hook
-- exit status: 130
