"""One module per CLI command; see shipyard/__main__.py for the contract."""
