"""Generated scenarios for demonstrations and benchmarks; apart from the product path."""
