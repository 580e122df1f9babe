@24:61 => log("late")
