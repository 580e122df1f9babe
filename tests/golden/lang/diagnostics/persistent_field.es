x = 1
$cfg.x = 1
