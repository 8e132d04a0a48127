"""Resolve: one node per real actor across articles (after extraction, before and inside the store).

:mod:`.names` compares names, :mod:`.identity` decides which extracted names are one actor,
:mod:`.rules` reads and writes the user's identity file.
"""

from .identity import Decision, IdentityRules, NameRecord, entity_name, record_keys, resolve
from .rules import identity_path, read_rules, write_rules

__all__ = ["Decision", "IdentityRules", "NameRecord", "entity_name", "identity_path", "read_rules", "record_keys",
           "resolve", "write_rules"]
