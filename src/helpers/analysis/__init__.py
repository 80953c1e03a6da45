"""Analysis: frames in, frames out (ids, numbers, intervals, flags), never a sentence or a
language. Above the loaders, below the words."""
