"""Tables of the plan area."""
