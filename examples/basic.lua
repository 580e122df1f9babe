-- basic.lua: a first tour of LuaSys (the LuatOS `sys` programming model).
--
-- Run it in real time:        build/bin/luasys examples/basic.lua
-- or skip the waiting:        build/bin/luasys --virtual-time examples/basic.lua
-- (with --virtual-time the clock jumps straight to the next timer, so the output is
-- the same but appears at once.)
--
-- Everything here is cooperative. A task is a Lua coroutine: it runs until it waits
-- (sys.wait, sys.waitUntil), and the sys loop resumes it later. Nothing runs in
-- parallel, so no locks are needed. The script ends by itself once every task has
-- finished and no timer is pending.

-- Prints one line prefixed with the loop clock (milliseconds since the start).
local function say(fmt, ...)
  print(string.format("[%5d ms] " .. fmt, sys.now(), ...))
end

-- 1. Blink: toggle an (imaginary) LED every 500 ms, six times, then stop.
sys.taskInit(function()
  local led_on = false
  for _ = 1, 6 do
    led_on = not led_on
    say("blink: LED %s", led_on and "on" or "off")
    sys.wait(500)  -- Suspends only this task; the others keep running.
  end
  say("blink: done")
end)

-- 2. Publish/subscribe. A function subscriber is called for every "COUNT" message,
-- with the message's arguments.
sys.subscribe("COUNT", function(n)
  say("subscriber: saw COUNT %d", n)
end)

-- A counter task publishes "COUNT" once a second. sys.publish only queues the
-- message; the loop delivers it after the task waits again.
sys.taskInit(function()
  for n = 1, 3 do
    sys.wait(1000)
    say("counter: %d", n)
    sys.publish("COUNT", n)
  end
end)

-- A listener task waits for the counter's messages. sys.waitUntil returns true and
-- the message's arguments (or false after a timeout, if one is given).
sys.taskInit(function()
  for _ = 1, 3 do
    local _, n = sys.waitUntil("COUNT")
    say("listener: got COUNT %d", n)
  end
end)

-- 3. Timers call a function later: once (timerStart) or repeatedly (timerLoopStart).
sys.timerStart(function()
  say("one-shot timer fired")
end, 1200)

local ticks = 0
local loop_id
loop_id = sys.timerLoopStart(function()
  ticks = ticks + 1
  say("loop timer: tick %d", ticks)
  if ticks == 3 then
    sys.timerStop(loop_id)  -- A loop timer runs until it is stopped.
  end
end, 700)

-- 4. waitUntil with a timeout: the first wait gives up, the second is satisfied by a
-- "BUTTON" message that a timer publishes at 1500 ms.
sys.taskInit(function()
  local ok = sys.waitUntil("NEVER_SENT", 300)
  say("waited for NEVER_SENT: %s", ok and "received" or "timed out")
  local pressed, who = sys.waitUntil("BUTTON", 2000)
  say("waited for BUTTON: %s", pressed and ("pressed by " .. who) or "timed out")
end)
sys.timerStart(sys.publish, 1500, "BUTTON", "user")

-- sys.run() runs the loop and returns when nothing is left to do. (Without this
-- call, luasys would run the loop after the script anyway.)
sys.run()
say("all done")
