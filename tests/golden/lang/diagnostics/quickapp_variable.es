x = $$qa
