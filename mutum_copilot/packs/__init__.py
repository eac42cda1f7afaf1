"""A whole knowledge pack: the provider's knowledge and its flows, assembled and cached.

The one place that sees both :mod:`mutum_copilot.knowledge` (facts, FAQ,
synonyms) and :mod:`mutum_copilot.triage` (flows), so neither needs the other.
"""
