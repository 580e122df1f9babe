-- Rules (spec §6–§8): each trigger kind and each modifier.
66:breached => 55:on; wait(00:05); 55:off
66:breached & 22:00..06:00 => 55:on
$Mode == "away" & 66:breached => post(#alarm{zone = "hall", level = 3})
#alarm{zone = "$z", level = "$l>2"} => log("zone %s level %d", z, l)
{type = "custom", id = "$id"} => log(id)
@sunset - 00:30 => 55:on
@{07:00, 19:00, catch} => 55:toggle
@08:00 & wday("mon-fri") => 55:on
@$WakeUp => 55:on
@@00:15 => log("tick")
@@-01:00 => log("hourly")
trueFor(00:10, 67:isOpen) => log("open %d min", 10 * again(3))
once(77:temp > 25) => log("warm")
lamp:isOn & {lamp, 67}:value => log("dynamic")
66:breached debounce 00:02 => 55:off
67:isOpen cooldown 00:10 => log("door")
66:breached every 3 => log("third")
66:breached first_in 06:00..09:00 => log("first")
66:breached since 00:05 single => log("five minutes")
88:key == "1:Pressed" => 55:toggle
{77, 78}:value:average > 22 => log("warm")
#startup => return BREAK
#go => {55, 56}:value = 70; "garage":close(); x:off; if $Mode == "away" then 56:setValue(30) end
