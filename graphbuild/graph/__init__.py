"""The graph model: logical relations aggregated from evidence, and the networkx graph built from the store."""

from .model import GraphEdge, aggregate_relations, edge_key
from .nx import build_graph

__all__ = ["GraphEdge", "aggregate_relations", "build_graph", "edge_key"]
