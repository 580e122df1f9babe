-- Checklist 25: a one-shot timer is inactive in its own callback and may restart
-- itself (each restart gets a new id).
local n = 0
local first
local function once(tag)
  n = n + 1
  print(tag, n, sys.now(), sys.timerIsActive(once, tag) == true, sys.timerIsActive(first))
  if n < 3 then
    local id = sys.timerStart(once, 10, tag)
    print("restarted", id, sys.timerIsActive(id) == once)
  end
end
first = sys.timerStart(once, 10, "t")
--> t	1	10	false	nil
--> restarted	2097153	true
--> t	2	20	false	nil
--> restarted	2097154	true
--> t	3	30	false	nil
