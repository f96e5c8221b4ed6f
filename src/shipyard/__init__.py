"""Shipyard: put any Python web app into production."""

__version__ = "0.1.0"
