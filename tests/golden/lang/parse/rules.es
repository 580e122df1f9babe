-- Spec §6, §7 rules; each rule's action lines are indented.
66:breached => 55:on
  wait(00:05)
  55:off
66:breached debounce 00:02 => 55:off
67:isOpen cooldown 00:10 => log("door")
66:breached every 3 => log("third")
66:breached first_in 06:00..09:00 => log("first motion this morning")
66:breached single since 00:05 => log("x")
#doorbell => log("ding")
#alarm{zone="$z", level="$l>2"} => log("zone %s level %d", z, l)
#device{id=55, property="value", value="$v"} => log("55 is now %s", v)
@sunset - 00:30 => 55:on
@{07:00, 19:00, catch} => 55:toggle
@08:00 & wday("mon-fri") => 55:on
@2025/12/24/18:00 => log("merry")
@$WakeUp => 55:on
@@00:15 => log("tick")
@@-01:00 => log("hourly")
66:breached & 22:00..06:00 => 55:on
trueFor(00:10, 67:isOpen) => log("open %d min", 10 * again(3))
{66, 67}:isOn
  & !$Away
  => log("any")
x > 5 => log(x)
