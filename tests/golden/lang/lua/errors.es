-- Definition diagnostics the compiler reports (after parsing), one per item.
x > 5 => log(x)
55:on => log("on")
66:breached & wait(1) => log("waited")
66:breached => log(again())
(1 + 2) > 2
  => log("constant")
{1, 0, 1}:sum > 1 => log("filter only")
lamp:isOn & {55, 56}:toggle => log("toggle")
