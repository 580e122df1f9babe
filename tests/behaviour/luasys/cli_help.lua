-- luasys --help
-- stdout: any

-- Spec 11: --help prints the usage and exits 0 (no script is given).
