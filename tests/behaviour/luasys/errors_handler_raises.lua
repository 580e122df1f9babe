-- Spec 6.3: if the onError handler itself raises, both errors are logged and the loop
-- goes on.
sys.onError(function(e) error("handler broke: " .. e.message, 0) end)
sys.timerStart(function() error("first failure", 0) end, 5)
sys.timerStart(print, 10, "still running")
--> still running
--~ first failure
--~ handler broke: first failure
