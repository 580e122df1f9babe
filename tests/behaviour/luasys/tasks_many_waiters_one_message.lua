-- Spec 3.2: one message resumes every task waiting for it, in subscription order.
local order = {}
for i = 1, 8 do
  sys.taskInit(function()
    local _, v = sys.waitUntil("GO")
    order[#order + 1] = i .. v
  end)
end
sys.publish("GO", "!")
sys.timerStart(function() print(table.concat(order, " ")) end, 1)
--> 1! 2! 3! 4! 5! 6! 7! 8!
