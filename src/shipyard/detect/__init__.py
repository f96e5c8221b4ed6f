"""Detectors: each reads a Project and returns findings; none executes user code except
`entry.confirm`, which imports the one chosen candidate in a separate, time-limited process."""
