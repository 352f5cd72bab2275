"""`canvas browse`: the interactive terminal browser; the one place that imports Textual."""
