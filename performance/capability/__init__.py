"""The capacity and capability self-assessment (YJB performance improvement framework, seed 001 part two)."""
