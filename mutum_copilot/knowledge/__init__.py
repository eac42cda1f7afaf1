"""The provider's knowledge: facts, FAQ and synonyms as typed models, read from YAML."""
