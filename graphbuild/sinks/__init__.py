"""Sinks: the embedded SQLite store, graph exports, the Cypher script and Neo4j."""
