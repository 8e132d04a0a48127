"""Analysis of the networkx graph (:func:`graphbuild.graph.build_graph`): plain dataclasses, no printing.

* :mod:`.centrality`: degree, weighted PageRank (weight = evidence count), betweenness per entity type;
* :mod:`.communities`: Louvain communities, seeded;
* :mod:`.relations`: relation types by count and modality;
* :mod:`.actor`: an actor's ego network, relations grouped, cooperative vs hostile balance;
* :mod:`.paths`: shortest paths with the relation types along them;
* :mod:`.claims`: contested relations (asserted by one claimant, denied by another);
* :mod:`.report`: all of the overview in one call (the date window is :class:`graphbuild.store.DateWindow`).
"""

from .actor import EgoNetwork, ego_network, resolve_actor
from .claims import ContestedRelation, contested_relations
from .centrality import METRICS, ActorScore, centrality, weighted_pagerank
from .communities import DEFAULT_SEED, Community, communities
from .paths import NamedPath, find_paths, shortest_relation_paths
from .relations import RelationTypeCount, relation_types
from .report import Overview, overview

__all__ = [
    "DEFAULT_SEED",
    "METRICS",
    "ActorScore",
    "Community",
    "ContestedRelation",
    "EgoNetwork",
    "NamedPath",
    "Overview",
    "RelationTypeCount",
    "centrality",
    "communities",
    "contested_relations",
    "ego_network",
    "find_paths",
    "overview",
    "relation_types",
    "resolve_actor",
    "shortest_relation_paths",
    "weighted_pagerank",
]
