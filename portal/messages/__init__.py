"""Messages: one safe conversation between a resident and their contact person."""
