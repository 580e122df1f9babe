66:breached first_in => log("first")
