67:isOpen cooldown => log("door")
