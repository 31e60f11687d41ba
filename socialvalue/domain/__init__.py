"""Pure-Python domain logic: no Django imports here."""
