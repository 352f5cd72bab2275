"""Reading: the text of one post in, a `Canvas` out; pure, no files, no terminal."""
