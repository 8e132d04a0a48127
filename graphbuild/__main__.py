"""``python -m graphbuild`` runs the CLI."""

from .cli import main

main()
