-- A home whose rules file has an error: `eventrunner run` reports it and does not start.
return {
  name = "broken",
  devices = {{id = 1, name = "lamp", type = "binarySwitch"}},
}
