"""The application layer: the command line and the Python API, thin over the rooms below."""
