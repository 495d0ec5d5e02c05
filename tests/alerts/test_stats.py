from __future__ import annotations

import math

import pytest

from pantau.alerts.stats import baseline, chi2_quantile, nbinom_sf, quantile


@pytest.mark.parametrize(("observed", "mean"), [(1, 0.3), (3, 0.3), (6, 1.0), (22, 10.0), (4, 7.0)])
def test_poisson_tail_matches_its_sum(observed: int, mean: float) -> None:
    below = sum(math.exp(-mean) * mean**k / math.factorial(k) for k in range(observed))
    assert nbinom_sf(observed, mean, math.inf) == pytest.approx(1 - below, rel=1e-9)


@pytest.mark.parametrize(("observed", "mean"), [(1, 0.1), (5, 2.0), (30, 1.0), (3, 8.0)])
def test_size_one_is_geometric(observed: int, mean: float) -> None:
    # A negative binomial of size 1 is geometric: P(X >= x) = (mean / (1 + mean)) ** x.
    assert nbinom_sf(observed, mean, 1.0) == pytest.approx((mean / (1 + mean)) ** observed, rel=1e-9)


def test_tail_edges_and_far_tails() -> None:
    assert nbinom_sf(0, 2.0, 3.0) == 1.0
    assert nbinom_sf(3, 0.0, 3.0) == 0.0
    far = nbinom_sf(200, 1.0, math.inf)  # about 1e-375 underflows to 0, never negative or NaN
    assert 0.0 <= far < 1e-300
    # A large size is practically Poisson.
    assert nbinom_sf(12, 4.0, 1e9) == pytest.approx(nbinom_sf(12, 4.0, math.inf), rel=1e-5)


def test_chi2_quantile_is_close() -> None:
    assert chi2_quantile(0.95, 25) == pytest.approx(37.652, rel=0.01)
    assert chi2_quantile(0.05, 50) == pytest.approx(34.764, rel=0.01)


def test_quantile_interpolates() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([5.0], 0.99) == 5.0
    with pytest.raises(ValueError):
        quantile([], 0.5)


def test_all_zero_history_keeps_one_incident_ordinary() -> None:
    base = baseline([0] * 26, prior_count=0.5, prior_weeks=0.0, dispersion_confidence=0.95)
    assert base.expected == pytest.approx(0.5 / 26)
    assert nbinom_sf(1, base.expected, base.size) > 0.01  # 1 incident: about 2% of quiet weeks have one
    assert nbinom_sf(3, base.expected, base.size) < 0.001


def test_overdispersion_widens_the_tail_and_one_past_spike_is_trimmed() -> None:
    steady = [2, 3, 2, 1, 2, 3, 2, 2, 1, 2] * 5
    bursty = [0, 0, 9, 0, 1, 0, 0, 8, 0, 2] * 5
    calm = baseline(steady, 0.5, 0.0, 0.95)
    wild = baseline(bursty, 0.5, 0.0, 0.95)
    assert not calm.overdispersed and wild.overdispersed
    assert nbinom_sf(9, wild.expected, wild.size) > 100 * nbinom_sf(9, calm.expected, calm.size)
    # One past spike in an otherwise steady year: left out of the variance with trim=1.
    spiked = [*steady[:-1], 25]
    assert baseline(spiked, 0.5, 0.0, 0.95).overdispersed
    assert not baseline(spiked, 0.5, 0.0, 0.95, trim=1).overdispersed
