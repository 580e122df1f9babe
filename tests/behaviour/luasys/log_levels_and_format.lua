-- Spec 8: the log line format, levels by name (any case) or number, filtering,
-- log.style and the loop clock in the time stamp.
print(log.getLevel(), log.LOG_SILENT, log.LOG_DEBUG, log.LOG_INFO, log.LOG_WARN, log.LOG_ERROR)
log.debug("d", "x")
log.info("i")
log.warn(5, "number tag")
log.error("e", setmetatable({}, {__tostring = function() return "obj" end}), 1.5, false, nil)
log.setLevel("error")
print(log.getLevel())
log.warn("hidden", "warn")
log.error("shown", "error")
log.setLevel(log.LOG_INFO)
print(log.getLevel())
log.debug("hidden", "debug")
log.info("shown", "info")
log.setLevel("Silent")
print(log.getLevel())
log.error("hidden", "error")
log.setLevel("DEBUG")
log.style(2)
log.debug("styled", "two")
log.style(0)
log.debug("plain", "again")
sys.timerStart(function() log.info("t", "later") end, 1234)
sys.timerStart(function() log.info("t", "much later") end, 12345)
--> 1	0	1	2	3	4
--> 4
--> 2
--> 0
--! 0.000 [DEBUG] d: x
--! 0.000 [INFO] i:
--! 0.000 [WARN] 5: number tag
--! 0.000 [ERROR] e: obj 1.5 false nil
--! 0.000 [ERROR] shown: error
--! 0.000 [INFO] shown: info
--! 0.000 [DEBUG] styled: [ex.lua:21] two
--! 0.000 [DEBUG] plain: again
--! 1.234 [INFO] t: later
--! 12.345 [INFO] t: much later
-- stderr: exact
