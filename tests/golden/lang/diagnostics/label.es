::done::
