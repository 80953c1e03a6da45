"""Runner: the batch of notebooks (papermill, forked kernels, staging, all-or-nothing swap, lock,
ownership of --out). Knows notebooks by path; imports no analysis, words or figures. The top layer."""
