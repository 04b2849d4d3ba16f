"""Writing the outputs crash-safely, one writer at a time, and serving the site."""
