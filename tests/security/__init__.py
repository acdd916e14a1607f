"""Hostile input: XSS, CSRF and POST, uploads, formula injection, property-based parsing (issue 9, point 3)."""
