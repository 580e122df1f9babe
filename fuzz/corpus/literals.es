-- Spec §1 literals. Every line is one script item.
n = {42, .5, 1e3, 0xff, 0x1p4, 0xA.8p1, 3., 2.5E-2, 9223372036854775807, 9223372036854775808, 0xffffffffffffffff}
r = 5..10
s = {"a\tb", "it's", "\65\066\x43\u{20AC}", "a\z
      b", [[long]], [==[a]]b]==], [[
first line break dropped]]}
t = {10:00, 10:00:30, 48:00, 00:00}
d = {2025/12/24/18:00, /12/24, 2026/01/01, /06/01/07:30:15, 2025/02/30}
x = 600; q = x/12/25
p = {t/08:00, n/08:00, n/18:00, +/00:10, n / 2}
e = {#tick, #alarm{zone=3}, #alarm{zone=3}.zone}
$Mode = "away"; $Count = ($Count ?? 0) + 1
v = {nil, true, false}
utf8 = {värme = "ö", 日本 = 1}
