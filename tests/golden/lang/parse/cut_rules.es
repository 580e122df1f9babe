-- A rule whose action is empty: the column-1 lines after it are a script.
motion:breached =>
hall:on;
log("x")

-- A rule whose action ends in ';', continued in column 1.
door:breached => hall:on;
wait(00:05); hall:off

-- A named rule cut the same way names itself.
::night_light:: lamp:breached =>
lamp:on

-- A rule ending in ';' followed by a rule, and one followed by a script after a rule
-- that ends normally: no warning.
a:breached => b:on;
c:breached => d:on
x = 5
