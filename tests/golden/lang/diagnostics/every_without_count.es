66:breached every => log("third")
