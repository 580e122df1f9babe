x = 1
while x > 0 do
  x = x - 1
  if x == 3 then
    log("three")
  end
