"""extract: gazetteer span ruler, mentions, titles, trigger-frame relation rules and modality."""
