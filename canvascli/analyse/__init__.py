"""Analysis of canvases: common ground, similarity, statistics, search and checks."""
