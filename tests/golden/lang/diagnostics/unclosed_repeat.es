function f(a)
  repeat
    a = a + 1
  end
