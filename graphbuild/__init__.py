"""graphbuild: offline geopolitical knowledge graphs from news articles.

Flow: sources -> nlp -> extract -> resolve -> graph -> sinks.
"""

__version__ = "0.1.0"
