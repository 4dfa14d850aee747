"""`python -m upr_summary` runs the command-line tool."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
