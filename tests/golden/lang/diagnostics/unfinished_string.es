log("abc
)
