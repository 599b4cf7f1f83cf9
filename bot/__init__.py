"""Saint-Denis PASS assistant."""
