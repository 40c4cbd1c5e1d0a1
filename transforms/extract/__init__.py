"""Extraction from a parsed body: entities, figures (numbers, what they count, who said them), measures and places."""
