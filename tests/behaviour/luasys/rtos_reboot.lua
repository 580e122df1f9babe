-- Spec 7: rtos.reboot logs a WARN line, runs the shutdown hooks (newest first, once)
-- and exits with status 75; it never returns.
sys.onShutdown(function() print("hook A") end)
sys.onShutdown(function() print("hook B") end)
sys.timerStart(function()
  print("before reboot")
  rtos.reboot("manual")
  print("never")
end, 20)
sys.timerStart(print, 30, "never either")
--> before reboot
--> hook B
--> hook A
--! 0.020 [WARN] rtos: reboot (manual)
-- exit status: 75
