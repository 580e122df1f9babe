-- Spec 6.2: the default report is a log.error (tag sys), so the log level filters it.
log.setLevel("SILENT")
sys.taskInit(function() error("hidden report", 0) end)
sys.timerStart(function()
  log.setLevel("ERROR")
  error("shown report", 0)
end, 10)
sys.timerStart(print, 20, "loop went on")
--> loop went on
--! 0.010 [ERROR] sys: timer 2097152 (ex.lua:4) failed: shown report
-- stderr lacks: hidden report
