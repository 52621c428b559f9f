"""Developer tools that are not part of the running hub (`make mutation`)."""
