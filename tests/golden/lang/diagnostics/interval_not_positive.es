@@00:00 => log("never")
