-- Rules-file items: statements that start in column 1 form one script until a rule.
local dim = 30
function half(x)
  return x / 2
end

66:breached => 56:value = half(dim)
    -- comments and blank lines inside an action

  55:off
x = f
(a) => b()
a => b()
(c)()
