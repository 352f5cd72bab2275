"""Storage: the library folder, its on-disk index, and bringing that index up to date."""
