"""Hand-edited YAML read safely and converted strictly into frozen dataclasses.

Neutral ground: the knowledge pack, the flows, the config and the vault all
read their files through this package, and it imports none of them.
"""
