-- luasys --virtual-time --heap-limit 4m ex.lua
-- Checklist 38 and 31: running out of heap in a timer callback or a subscriber is an
-- ordinary reported error; the loop and the process go on.
local function hog() local s = {} for i = 1, 1e7 do s[i] = {} end end
sys.timerStart(hog, 5)
sys.subscribe("HOG", hog)
sys.timerStart(sys.publish, 10, "HOG")
sys.timerStart(function() print("alive") end, 20)
--> alive
--! 0.005 [ERROR] sys: timer 2097152 (ex.lua:4) failed: not enough memory
--! 0.010 [ERROR] sys: subscriber (ex.lua:4) for message "HOG" failed: not enough memory
