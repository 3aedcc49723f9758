"""Remedies for late projects: levers from verified explanations, priced and solved as what-if variants."""
