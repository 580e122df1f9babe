f(1,
  2,
  3
log("x")
