"""Figures: charts and maps drawn from the frames, labels and Shapes they are given; they read no
file. Above the words, below reporting."""
