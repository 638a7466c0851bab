"""Tables of the appointments area."""
