"""The statistics every theme shares, defined once: Wilson intervals of a share, Holm's adjustment
for a family of tests, and the exact distribution of a count of independent trials with unequal
probabilities (Poisson-binomial) with its central range and two-sided p-value. Numbers in, numbers
out (numpy arrays); the logistic fits stay with the frames they model (helpers.analysis.municipal)."""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

#: The confidence level of every interval and test in the reports.
LEVEL = 0.95


def wilson(k, n, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson interval of k successes in n, in percent (NaN where n is 0)."""
    from statsmodels.stats.proportion import proportion_confint

    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    safe = np.where(n > 0, n, 1.0)
    lo, hi = proportion_confint(k, safe, alpha=1 - level, method="wilson")
    lo = np.where(n > 0, 100 * np.asarray(lo, dtype=float), np.nan)
    hi = np.where(n > 0, 100 * np.asarray(hi, dtype=float), np.nan)
    return lo, hi


def holm(p: Sequence[float]) -> np.ndarray:
    """Holm-adjusted p-values (NaN kept as NaN): the k-th smallest of m times (m − k + 1), made
    monotone, capped at 1. This is ``multipletests(p, method="holm")[1]`` (a test pins the two
    together) without its full garbage collection on every call (~0.1 s each in a notebook kernel
    that holds the figures and the boundaries)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q = p[ok]
        order = np.argsort(q)
        adjusted = np.minimum(np.maximum.accumulate(q[order] * np.arange(len(q), 0, -1)), 1.0)
        back = np.empty_like(adjusted)
        back[order] = adjusted
        out[ok] = back
    return out


def poisson_binomial(p: Iterable[float]) -> np.ndarray:
    """Distribution of the number of successes of independent trials with probabilities ``p``:
    the probabilities of 0, 1, …, n (exact, by convolution)."""
    pmf = np.array([1.0])
    for q in p:
        q = float(q)
        pmf = np.convolve(pmf, [1.0 - q, q])
    return pmf


def chance_range(pmf: np.ndarray, level: float = LEVEL) -> tuple[int, int]:
    """Central range [lo, hi] of a count distribution: lo the largest l with P(X < l) < α/2, hi the
    smallest h with P(X > h) < α/2 (α = 1 − level). A count outside it has a two-sided
    p-value (:func:`two_sided_p`) below α."""
    a = (1 - level) / 2
    below = np.concatenate([[0.0], np.cumsum(pmf)[:-1]])             # P(X < k), k = 0..n
    above = np.concatenate([np.cumsum(pmf[::-1])[::-1][1:], [0.0]])  # P(X > k)
    return int(np.nonzero(below < a)[0].max()), int(np.nonzero(above < a)[0].min())


def two_sided_p(pmf: np.ndarray, observed: int) -> float:
    """Twice the smaller tail probability of ``observed`` (at most 1)."""
    return float(min(1.0, 2 * min(pmf[: observed + 1].sum(), pmf[observed:].sum())))
