-- advanced.lua: three patterns that real LuaSys programs are built from.
--
--   1. A producer and a consumer that talk through a mailbox (sys.taskInitEx,
--      sys.sendMsg, sys.waitMsg).
--   2. A state machine (a door) driven by messages and by timers.
--   3. A watchdog that notices when a task stops making progress.
--
-- Run it with:  build/bin/luasys --virtual-time examples/advanced.lua
-- The demos run one after another inside one task, so their output does not mix.

-- Prints one line prefixed with the loop clock (milliseconds since the start).
local function say(fmt, ...)
  print(string.format("[%5d ms] " .. fmt, sys.now(), ...))
end

-------------------------------------------------------------------------------
-- 1. Producer/consumer over a mailbox
-------------------------------------------------------------------------------

-- A mailbox is a queue owned by one task. Unlike a published message, which is lost
-- when nobody is waiting for it, a mailbox keeps every message until it is taken,
-- so a slow consumer never misses work.
local function producer_consumer_demo()
  say("== producer/consumer over a mailbox ==")

  -- The consumer creates the mailbox "jobs". waitMsg takes the oldest "job"
  -- message; any older message of another kind goes to the callback given here.
  sys.taskInitEx(function()
    while true do
      local msg = sys.waitMsg("jobs", "job", 500)
      if not msg then
        say("consumer: idle for 500 ms, stopping")
        break
      end
      say("consumer: working on job %d", msg[2])
      sys.wait(150)  -- Each job takes 150 ms: slower than the producer.
    end
    sys.publish("PC_DONE")
  end, "jobs", function(msg)
    say("consumer: skipped a non-job message: %s", msg[1])
  end)

  -- The producer queues a job every 100 ms, and once a status note.
  sys.taskInit(function()
    for n = 1, 4 do
      if n == 3 then sys.sendMsg("jobs", "status", "half way") end
      sys.sendMsg("jobs", "job", n)
      say("producer: queued job %d", n)
      sys.wait(100)
    end
  end)

  sys.waitUntil("PC_DONE")
end

-------------------------------------------------------------------------------
-- 2. A door: a state machine driven by messages and timers
-------------------------------------------------------------------------------

-- Events arrive as "DOOR" messages: buttons ("open", "close"), a sensor
-- ("obstacle") and "timeout", which the door publishes to itself with a timer.
local transitions = {
  closed = {open = "opening"},
  opening = {timeout = "open"},
  open = {close = "closing", timeout = "closing"},
  closing = {timeout = "closed", obstacle = "opening"},
}
-- How long the door stays in a state before its "timeout" event (none: forever).
local durations = {opening = 300, open = 1000, closing = 300}

local function door_demo()
  say("== door state machine ==")
  local state = "closed"

  local function on_event(event)
    local next_state = transitions[state][event]
    if not next_state then
      say("door: ignores '%s' while %s", event, state)
      return
    end
    say("door: %s -> %s (%s)", state, next_state, event)
    state = next_state
    -- A timer is identified by its function and arguments, so starting the same
    -- (sys.publish, "DOOR", "timeout") timer again replaces the pending one: the old
    -- state's timeout can never fire in the new state.
    if durations[state] then
      sys.timerStart(sys.publish, durations[state], "DOOR", "timeout")
    else
      sys.timerStop(sys.publish, "DOOR", "timeout")
      sys.publish("DOOR_CLOSED")
    end
  end
  sys.subscribe("DOOR", on_event)

  -- A user presses buttons; the door closes by itself after being open for 1 s.
  sys.publish("DOOR", "open")
  sys.wait(1450)
  sys.publish("DOOR", "obstacle")  -- Someone walks in while the door is closing.
  sys.wait(450)
  sys.publish("DOOR", "close")
  sys.wait(100)
  sys.publish("DOOR", "open")      -- Too late: the door is already closing.
  sys.waitUntil("DOOR_CLOSED")
  sys.unsubscribe("DOOR", on_event)
end

-------------------------------------------------------------------------------
-- 3. A watchdog
-------------------------------------------------------------------------------

-- The worker "feeds" the watchdog by publishing "FEED" while it makes progress. The
-- watchdog waits for each feed with a timeout; a timeout means the worker stalled.
local function watchdog_demo()
  say("== watchdog ==")
  local worker = sys.taskInitNamed("worker", function()
    for beat = 1, 3 do
      sys.publish("FEED", beat)
      sys.wait(100)
    end
    say("worker: waiting for a sensor that never answers")
    sys.waitUntil("SENSOR_REPLY")
  end)

  while true do
    local fed, beat = sys.waitUntil("FEED", 250)
    if not fed then break end
    say("watchdog: fed (beat %d)", beat)
  end

  -- sys.taskInfo tells what the stalled task is waiting for: useful in a report.
  local info = sys.taskInfo(worker)
  say("watchdog: no feed for 250 ms; %s is %s on %s", info.name, info.state, info.waiting_on)
  coroutine.close(worker)  -- Ends the task; sys forgets its subscriptions.
  say("watchdog: worker stopped, now %s", sys.taskInfo(worker).state)
end

-------------------------------------------------------------------------------

sys.taskInit(function()
  producer_consumer_demo()
  door_demo()
  watchdog_demo()
  say("all demos done")
end)
