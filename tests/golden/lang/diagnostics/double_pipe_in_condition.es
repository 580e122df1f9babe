66:breached || 67:breached => 55:on
