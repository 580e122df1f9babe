66:breached single single => 55:on
