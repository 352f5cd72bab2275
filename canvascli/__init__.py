"""canvascli: browse and compare Business Model Canvas write-ups."""

__version__ = "0.1.0"
