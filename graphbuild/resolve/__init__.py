"""Resolve step: canonical ids, within-article coreference, lifting relations."""
