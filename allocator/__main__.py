"""``python -m allocator``: the same command line as ``allocator``."""

from allocator.app.cli import main

if __name__ == "__main__":
    main(prog_name="allocator")
