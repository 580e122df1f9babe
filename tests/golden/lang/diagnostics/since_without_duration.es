66:breached since => 55:on
