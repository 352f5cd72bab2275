"""Output: Rich views, the terminal, safe text and export writers; nothing here parses."""
