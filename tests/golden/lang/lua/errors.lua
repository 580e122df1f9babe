errors.es:2:1: error: Rule has no triggers: x > 5
x > 5 => log(x)
^
errors.es:3:1: error: 'on' is an action and cannot be used in a rule condition
55:on => log("on")
^
errors.es:4:15: error: wait is not allowed in a rule condition
66:breached & wait(1) => log("waited")
              ^
errors.es:5:20: error: again() can only be used in the action of a trueFor rule
66:breached => log(again())
                   ^
errors.es:6:1: error: Rule has no triggers: (1 + 2) > 2
(1 + 2) > 2
^
errors.es:8:1: error: Rule has no triggers: {1, 0, 1}:sum > 1
{1, 0, 1}:sum > 1 => log("filter only")
^
errors.es:9:13: error: 'toggle' is an action and cannot be used in a rule condition
lamp:isOn & {55, 56}:toggle => log("toggle")
            ^
