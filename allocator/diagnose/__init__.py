"""Analysis around a solve: why no plan exists, in business terms."""
