"""Run an app here: `serve` (the production process tree under supervisord) and `dev` (debug + reload)."""
