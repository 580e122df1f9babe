66:breached 55:on => 56:on
