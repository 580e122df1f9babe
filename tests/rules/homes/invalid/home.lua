-- A home.lua with mistakes that loading reports, each with the field's name.
return {
  name = 7,
  location = {latitude = "north"},
  simulation = {{at = "7:00", id = 1, prop = "value", value = true}, {at = "24:00", prop = "value"}},
}
