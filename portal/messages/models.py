"""Tables of the messages area."""
