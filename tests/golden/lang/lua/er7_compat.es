-- ER7 forms that port unchanged: the string match '===' (ER6's), day 00 in date
-- literals, and short strings that span lines.
$room === 'light$' & 66:value === "^1" => log('matched %s', $room === '^(%a+)_')
a = x === y ++ z & !(p === q)
b = 2025/03/00
c = /01/00/08:30
d = 'first line
second line'
e = "tab\tand
line"
