-- Spec 6.4 and 11: os.exit(n) exits with n at once; shutdown hooks do not run.
sys.onShutdown(function() print("hook must not run") end)
sys.timerStart(function() print("exiting") os.exit(3) end, 10)
sys.timerStart(print, 20, "never")
--> exiting
-- exit status: 3
