"""The search: lexicographic stages under one time budget, neighbourhoods and restricted models."""
