"""Small-count statistics for the detectors, on the standard library alone (no scipy dependency).

The spike detector's model, in one place (docs/alerts.md says why):

* The weekly rate has a Gamma prior worth ``prior_count`` incidents in ``prior_weeks`` weeks; after a
  baseline of ``n`` weeks holding ``S`` incidents the expected count is ``(S + prior_count) / (n + prior_weeks)``
  and the rate's uncertainty is a Gamma of shape ``a = S + prior_count``.
* When the series varies more than a Poisson series would, the week-to-week variation is a negative
  binomial of size ``k = mean^2 / (var - mean)``, measured over a longer window (52 weeks, its largest week
  left out) than the mean, with ``var`` the upper confidence bound of the sample variance (a plug-in
  variance from 26 weeks is too often low, and each time it is low it is a false alert).
* Both together are matched by one negative binomial with mean ``m`` and size ``1 / (1/k + 1/a)`` (its
  variance is ``m + m^2/k + m^2/a``); with no overdispersion this is exactly the Gamma-Poisson predictive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TypeVar

T = TypeVar("T", int, float)

_MAX_TERMS = 1_000_000  # a bound on the tail sum; reached only by absurd inputs (mean in the millions)


def _log_pmf(k: int, mean: float, size: float) -> float:
    if math.isinf(size):
        return -mean - math.lgamma(k + 1) + k * math.log(mean)
    # Failures before the size-th success, with success probability size / (size + mean).
    return (math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1)
            + size * math.log(size / (size + mean)) + k * math.log(mean / (size + mean)))


def _ratio(k: int, mean: float, size: float) -> float:
    """pmf(k + 1) / pmf(k)."""
    if math.isinf(size):
        return mean / (k + 1)
    return (k + size) / (k + 1) * (mean / (size + mean))


def nbinom_sf(observed: int, mean: float, size: float) -> float:
    """P(X >= observed) for a negative binomial of ``mean`` and ``size`` (``math.inf`` = Poisson).

    Above the mean the tail is summed term by term (accurate down to 1e-300, which 1 - CDF is not); below
    it, 1 - CDF is accurate enough since the answer is large.
    """
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if size > 1e7:
        # Practically Poisson, and lgamma of so large a size would lose more precision than that difference.
        size = math.inf
    if observed <= mean:
        below = math.fsum(math.exp(_log_pmf(k, mean, size)) for k in range(observed))
        return min(1.0, max(0.0, 1.0 - below))
    # Above the mean every ratio is below 1 and falling, so the terms fall at least geometrically.
    term = 1.0
    total = 1.0
    k = observed
    for _ in range(_MAX_TERMS):
        term *= _ratio(k, mean, size)
        total += term
        k += 1
        if term < total * 1e-15:
            break
    return min(1.0, math.exp(_log_pmf(observed, mean, size)) * total)


def chi2_quantile(level: float, dof: int) -> float:
    """Approximate chi-square quantile (Wilson-Hilferty; within a few percent from 5 degrees of freedom)."""
    if dof <= 0:
        raise ValueError("chi-square needs positive degrees of freedom")
    z = NormalDist().inv_cdf(level)
    c = 2.0 / (9.0 * dof)
    return dof * (1.0 - c + z * math.sqrt(c)) ** 3


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a series' baseline weeks say about the evaluated week."""

    weeks: int
    total: int
    expected: float  # posterior mean weekly count
    size: float  # negative binomial size of the predictive (math.inf never: the prior keeps it finite)
    dispersion: float  # the baseline's variance / mean (1 for Poisson); 0 when the baseline is all zero
    overdispersed: bool


def baseline(counts: Sequence[int], prior_count: float, prior_weeks: float, dispersion_confidence: float,
             dispersion_counts: Sequence[int] | None = None, trim: int = 0, block: int = 0) -> Baseline:
    """The predictive distribution of next week's count after the baseline weeks' ``counts``.

    ``dispersion_counts`` (by default ``counts``, in week order) are the weeks the overdispersion is measured
    on: a longer window than the baseline's, since a variance from 26 weeks is too noisy to trust in a tail.
    Their ``trim`` largest weeks are left out: one past spike would otherwise make the series look bursty for
    a year and hide the next one. With ``block`` > 0 the variance is the pooled one within consecutive blocks
    of that many weeks, so that a slow change (a season) that the expected count already follows is not
    counted as burstiness."""
    n = len(counts)
    total = sum(counts)
    shape = total + prior_count
    expected = shape / (n + prior_weeks) if n + prior_weeks > 0 else 0.0
    sample = list(counts if dispersion_counts is None else dispersion_counts)
    if trim > 0 and len(sample) > trim + 2:
        dropped = set(sorted(range(len(sample)), key=lambda i: (-sample[i], i))[:trim])
        sample = [c for i, c in enumerate(sample) if i not in dropped]
    weeks = len(sample)
    mean = sum(sample) / weeks if weeks else 0.0
    dispersion = 0.0
    overdispersed = False
    size = shape
    groups = [sample[i:i + block] for i in range(0, weeks, block)] if block > 0 else [sample]
    groups = [g for g in groups if len(g) >= 2]
    dof = sum(len(g) - 1 for g in groups)
    if dof >= 1 and mean > 0:
        squares = 0.0
        for group in groups:
            centre = sum(group) / len(group)
            squares += sum((c - centre) ** 2 for c in group)
        variance = squares / dof
        dispersion = variance / mean
        if variance > mean:
            overdispersed = True
            if dispersion_confidence > 0:
                # The sample variance is itself uncertain, and an underestimated variance is a false alert:
                # take its upper confidence bound (dof x s^2 / variance is chi-square with dof d.o.f.).
                variance *= dof / chi2_quantile(1.0 - dispersion_confidence, dof)
            k = mean * mean / (variance - mean)
            size = 1.0 / (1.0 / k + 1.0 / shape)
    return Baseline(n, total, expected, size, dispersion, overdispersed)


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, interpolating linearly between order statistics (numpy's default).

    ``sorted_values`` needs only ``len`` and indexing: the multi-time detectors pass views of a sorted list
    without some of its values (``pantau.alerts.seizures``) or of a histogram (``pantau.alerts.viral``)."""
    if not len(sorted_values):
        raise ValueError("quantile of no values")
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


class SortedView(Sequence[T]):
    """A read-only sorted sequence computed on demand (what ``quantile`` reads without a copy): subclasses give
    its length and the value at a position; negative indices and slices are handled here."""

    _len: int

    def __len__(self) -> int:
        return self._len

    def _at(self, index: int) -> T:
        raise NotImplementedError

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        return self._at(index)
