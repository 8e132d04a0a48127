"""The graph model: logical relations aggregated from the store's evidence, and the networkx graph of them."""

from .model import GraphEdge, aggregate_relations, edge_from, edges
from .nx import build_graph, edge_attrs, evidence_attrs

__all__ = ["GraphEdge", "aggregate_relations", "build_graph", "edge_attrs", "edge_from", "edges", "evidence_attrs"]
