"""`canvas site`: a library written out as a static web site of canvas pages."""
