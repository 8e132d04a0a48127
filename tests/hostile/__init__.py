"""The hostile input corpus (generated into a folder by :func:`corpus.build`); see ``corpus.py``."""
