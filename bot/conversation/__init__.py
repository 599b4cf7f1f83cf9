"""The plain logic of the dialogue: reading replies in the frame of their question."""
