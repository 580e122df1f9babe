66:breached && 55:isOff => 55:on
