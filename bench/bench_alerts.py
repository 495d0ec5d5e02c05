"""Spike-detector benchmark on synthetic weekly series: recall of injected spikes and false-alert rate.

    python bench/bench_alerts.py [--regions 40] [--seed 15] [--baseline trailing|seasonal|both]

Series families (each with --regions regions per mean level, 208 weeks, weeks 104-207 evaluated):
  quiet     Poisson, mean 0.2 / 0.5 / 1 a week
  steady    Poisson, mean 2 / 5 / 10 / 20 a week
  seasonal  Poisson with a yearly cycle, mean x (1 + 0.6 sin(2 pi week / 52 + phase)), mean 0.5 / 2 / 5
  bursty    negative binomial of size 1.5 (variance mean + mean^2 / 1.5), mean 0.5 / 2 / 5 / 10

Every count becomes that many IncidentFacts (one topic, a regency in its own province), and the detector runs
through pantau.alerts.detect_spikes exactly as on the store's incidents. A spike of size f adds
ceil((f - 1) x mean of that week) incidents to the week's own draw (so the week expects f x its mean); each
region gets two spikes 40-45 weeks apart (never in the other's baseline). A spike is detected when its region
has an alert for that week, i.e. raised at the end of the week (and still raised a week later, eval_weeks=2).
False alerts: region-weeks with an alert, on the same series without spikes, per 1,000 region-weeks.
Goals (issue 15): recall >= 0.9 for 3x spikes within one week; <= 1 false alert per 1,000 region-weeks.

    python bench/bench_alerts.py --refresh [--times 500] [--incidents 50000] [--sample 20]

times the alert refresh after an ingest instead: every detector at --times evaluation times (one a day, the
last ones of a span holding --incidents synthetic incidents of all kinds) per time with detect_all (before;
measured at --sample of the times, evenly spread, and scaled to all of them) and with detect_all_at_times
(after), and checks that both give the same alerts at the sampled times.
The last column is the recall of an oracle that knows each series' true distribution (``oracle_recall``): where
it is under 0.9, no detector can reach the recall goal at that false-alert rate.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import math
import time
from collections import defaultdict

import numpy as np

from pantau.alerts import IncidentFacts, detect_all, detect_all_at_times, detect_spikes, load_config
from pantau.alerts.config import AlertConfig
from pantau.alerts.model import iso_week
from pantau.alerts.stats import baseline, nbinom_sf

WEEKS = 208
FIRST_EVALUATED = 104
START = datetime.date(2022, 1, 3)  # a Monday
FAMILIES: list[tuple[str, float]] = [
    ("quiet", 0.2), ("quiet", 0.5), ("quiet", 1.0),
    ("steady", 2.0), ("steady", 5.0), ("steady", 10.0), ("steady", 20.0),
    ("seasonal", 0.5), ("seasonal", 2.0), ("seasonal", 5.0),
    ("bursty", 0.5), ("bursty", 2.0), ("bursty", 5.0), ("bursty", 10.0),
]
MULTIPLIERS = (2.0, 3.0, 5.0)
BURSTY_SIZE = 1.5
SEASONAL_AMPLITUDE = 0.6


@dataclasses.dataclass
class Region:
    index: int
    family: str
    level: float
    means: np.ndarray  # true mean of each week
    counts: np.ndarray  # drawn counts
    spikes: tuple[int, int]  # the two spike weeks

    @property
    def code(self) -> str:
        return f"X{self.index:04d}.01"


def make_regions(per_level: int, rng: np.random.Generator) -> list[Region]:
    regions = []
    weeks = np.arange(WEEKS)
    for family, level in FAMILIES:
        for _ in range(per_level):
            if family == "seasonal":
                phase = rng.uniform(0, 2 * math.pi)
                means = level * (1 + SEASONAL_AMPLITUDE * np.sin(2 * math.pi * weeks / 52 + phase))
            else:
                means = np.full(WEEKS, level)
            if family == "bursty":
                # Gamma-mixed Poisson = negative binomial of size BURSTY_SIZE.
                rates = rng.gamma(BURSTY_SIZE, means / BURSTY_SIZE)
                counts = rng.poisson(rates)
            else:
                counts = rng.poisson(means)
            first = int(rng.integers(FIRST_EVALUATED + 2, 150))
            second = first + int(rng.integers(40, 46))
            regions.append(Region(len(regions), family, level, means, counts, (first, second)))
    return regions


def incidents(regions: list[Region], rng: np.random.Generator, extra: dict[tuple[int, int], int] | None = None,
              first_id: int = 0) -> list[IncidentFacts]:
    """IncidentFacts for the counts (or for ``extra`` counts per (region, week)), each on a random day of its
    week."""
    out = []
    next_id = first_id
    cells = extra.items() if extra is not None else (
        ((r.index, w), int(c)) for r in regions for w, c in enumerate(r.counts) if c)
    by_index = {r.index: r for r in regions}
    for (index, week), count in cells:
        region = by_index[index]
        for day_offset in rng.integers(0, 7, size=count):
            day = START + datetime.timedelta(days=7 * week + int(day_offset))
            seen = datetime.datetime.combine(day, datetime.time(9))
            out.append(IncidentFacts(next_id, "arrest", day, region.code.split(".")[0], region.code, ("drugs",), (),
                                     (), ((seen, "outlet"),), seen))
            next_id += 1
    return out


def run(facts: list[IncidentFacts], config: AlertConfig) -> set[tuple[str, str]]:
    """(regency code, ISO week) of every alert over the evaluated weeks."""
    as_of = datetime.datetime.combine(START + datetime.timedelta(days=7 * WEEKS - 1), datetime.time(23, 59))
    weeks = [START + datetime.timedelta(days=7 * w) for w in range(FIRST_EVALUATED, WEEKS)]
    alerts = detect_spikes(facts, as_of, config, weeks=weeks, history_from=START)
    return {(a.region_code.split(".")[0] + ".01" if a.region_code else "", a.period or "") for a in alerts}


def week_label(week: int) -> str:
    return iso_week(START + datetime.timedelta(days=7 * week))


def smallest_alerting(level: float, config: AlertConfig) -> int:
    """The smallest week count that alerts after a Poisson-like baseline of `baseline_weeks` at mean `level`."""
    cfg = config.spike
    total = round(level * cfg.baseline_weeks)
    counts = [total // cfg.baseline_weeks + (1 if i < total % cfg.baseline_weeks else 0)
              for i in range(cfg.baseline_weeks)]
    base = baseline(counts, cfg.prior_count, cfg.prior_weeks, cfg.dispersion_confidence)
    x = cfg.min_count
    while x < cfg.min_ratio * base.expected or nbinom_sf(x, base.expected, base.size) > cfg.alpha:
        x += 1
    return x


def oracle_recall(family: str, level: float, multiplier: float, alpha: float) -> float:
    """The recall no one-week detector can beat at ``alpha`` false alerts a week: one that knows the series' true
    distribution (Poisson, or the bursty family's negative binomial; a seasonal series at its mean level) alerts
    from the smallest count whose chance in an ordinary week is at most ``alpha``; a spike week holds an
    ordinary week's draw plus ceil((multiplier - 1) x mean) incidents."""
    size = BURSTY_SIZE if family == "bursty" else math.inf
    threshold = 1
    while nbinom_sf(threshold, level, size) > alpha:
        threshold += 1
    return nbinom_sf(threshold - math.ceil((multiplier - 1) * level), level, size)


def bench(regions: list[Region], clean: list[IncidentFacts], rng: np.random.Generator, config: AlertConfig) -> None:
    started = time.perf_counter()
    false_alerts = run(clean, config)
    evaluated = WEEKS - FIRST_EVALUATED
    groups: dict[tuple[str, float], list[Region]] = defaultdict(list)
    for region in regions:
        groups[(region.family, region.level)].append(region)
    recall: dict[float, dict[tuple[str, float], tuple[int, int]]] = {}
    for multiplier in MULTIPLIERS:
        extra = {(r.index, w): math.ceil((multiplier - 1) * r.means[w]) for r in regions for w in r.spikes}
        spiked = clean + incidents(regions, rng, extra, first_id=len(clean) + 10_000_000)
        alerted = run(spiked, config)
        recall[multiplier] = {
            key: (sum((r.code, week_label(w)) in alerted for r in members for w in r.spikes), 2 * len(members))
            for key, members in groups.items()}
    elapsed = time.perf_counter() - started

    print(f"\nbaseline = {config.spike.baseline}, alpha = {config.spike.alpha}, min_count = {config.spike.min_count}, "
          f"min_ratio = {config.spike.min_ratio}, baseline_weeks = {config.spike.baseline_weeks}")
    header = "| family | mean/week | 3x = count | smallest alerting count | recall 2x | recall 3x | recall 5x | " \
             "false alerts / 1,000 region-weeks | best possible 3x recall |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    totals = {m: [0, 0] for m in MULTIPLIERS}
    fa_total = 0
    for key, members in groups.items():
        family, level = key
        fa = sum((r.code, week_label(w)) in false_alerts for r in members for w in range(FIRST_EVALUATED, WEEKS))
        fa_total += fa
        cells = []
        for m in MULTIPLIERS:
            hit, n = recall[m][key]
            totals[m][0] += hit
            totals[m][1] += n
            cells.append(f"{hit / n:.2f}")
        rate = 1000 * fa / (len(members) * evaluated)
        three = f"~{3 * level:g}" if family != "seasonal" else f"~{3 * level:g} (x season)"
        best = oracle_recall(family, level, 3.0, config.spike.alpha)
        print(f"| {family} | {level:g} | {three} | {smallest_alerting(level, config)} | {' | '.join(cells)} | "
              f"{rate:.2f} | {best:.2f} |")
    region_weeks = len(regions) * evaluated
    print(f"| **all** | | | | {' | '.join(f'{h / n:.2f}' for h, n in totals.values())} | "
          f"{1000 * fa_total / region_weeks:.2f} | |")
    busy = [(f, lv) for f, lv in groups if lv >= 5]
    hit = sum(recall[3.0][k][0] for k in busy)
    n = sum(recall[3.0][k][1] for k in busy)
    print(f"3x recall at mean >= 5/week: {hit / n:.2f} ({hit}/{n}); overall false alerts {fa_total} in "
          f"{region_weeks} region-weeks = {1000 * fa_total / region_weeks:.2f} per 1,000; {elapsed:.1f} s")


def refresh_incidents(count: int, days: int, rng: np.random.Generator) -> list[IncidentFacts]:
    """``count`` incidents over ``days`` days from START in 500 regencies of 30 provinces (a few busy, most
    quiet), with topics, seizures, 1-12 outlets each and now and then a late report."""
    weights = rng.pareto(1.2, 500) + 0.05
    regency = rng.choice(500, size=count, p=weights / weights.sum())
    day = np.sort(rng.integers(0, days, size=count))
    out = []
    for n in range(count):
        code = f"{10 + regency[n] % 30}.{regency[n] // 30 + 1:02d}"
        event = START + datetime.timedelta(days=int(day[n]))
        seen = datetime.datetime.combine(event, datetime.time(int(rng.integers(0, 24))))
        if rng.random() < 0.05:
            seen += datetime.timedelta(days=int(rng.integers(1, 30)))
        type_ = str(rng.choice(["arrest", "seizure", "raid", "clash", "destruction", "other"]))
        topics = tuple(sorted({str(t) for t in rng.choice(["drugs", "theft", "fraud", "smuggling", "other"],
                                                           size=int(rng.integers(1, 3)))}))
        seizures: tuple[tuple[str, float, str], ...] = ()
        if type_ in ("seizure", "raid") and rng.random() < 0.8:
            substance = str(rng.choice(["methamphetamine", "cannabis", "ecstasy"]))
            seizures = ((substance, float(round(rng.lognormal(3, 2), 1)), "pill" if substance == "ecstasy" else "g"),)
        outlets = int(rng.integers(1, 13)) if rng.random() < 0.1 else int(rng.integers(1, 4))
        reports = tuple(sorted((seen + datetime.timedelta(hours=float(rng.uniform(0, 60)) if k else 0.0),
                                f"outlet-{int(rng.integers(0, 40))}") for k in range(outlets)))
        out.append(IncidentFacts(n + 1, type_, event, code.split(".")[0], code, topics,
                                 tuple(sorted({s for s, _q, _u in seizures})), seizures, reports, seen))
    return out


def bench_refresh(times_count: int, incident_count: int, sample: int, seed: int) -> None:
    days = max(times_count, 3 * 365)
    facts = refresh_incidents(incident_count, days, np.random.default_rng(seed))
    config = load_config()
    # An ingest of the last `times_count` days: one evaluation at the end of each (as refresh_alerts does).
    times = [datetime.datetime.combine(START + datetime.timedelta(days=days - times_count + k), datetime.time(23, 59))
             for k in range(times_count)]
    timer = time.perf_counter()
    multi = dict(detect_all_at_times(facts, times, config, history_from=START))
    after = time.perf_counter() - timer
    sampled = times[:: max(1, len(times) // sample)][:sample]
    timer = time.perf_counter()
    for as_of in sampled:
        if detect_all(facts, as_of, config, history_from=START) != multi[as_of]:
            raise SystemExit(f"detect_all_at_times differs from detect_all at {as_of}")
    per_time = (time.perf_counter() - timer) / len(sampled)
    raised = {a.key for alerts in multi.values() for a in alerts}
    print(f"{len(facts)} incidents over {days} days, {len(times)} evaluation times, {len(raised)} alerts: "
          f"per-time detect_all {per_time:.3f} s a time = {per_time * len(times):.0f} s for all "
          f"(measured at {len(sampled)} times); detect_all_at_times {after:.1f} s; "
          f"same alerts at the {len(sampled)} times")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=40, help="regions per family and mean level")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--baseline", choices=["trailing", "seasonal", "both"], default="both")
    parser.add_argument("--refresh", action="store_true", help="time the alert refresh over many times instead")
    parser.add_argument("--times", type=int, default=500, help="--refresh: evaluation times (one a day)")
    parser.add_argument("--incidents", type=int, default=50_000, help="--refresh: synthetic incidents")
    parser.add_argument("--sample", type=int, default=20, help="--refresh: times timed with per-time detect_all")
    args = parser.parse_args()
    if args.refresh:
        bench_refresh(args.times, args.incidents, args.sample, args.seed)
        return
    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    regions = make_regions(args.regions, rng)
    clean = incidents(regions, rng)
    print(f"{len(regions)} regions x {WEEKS} weeks, {len(clean)} incidents, seed {args.seed}")
    modes = ["trailing", "seasonal"] if args.baseline == "both" else [args.baseline]
    default = load_config()
    for mode in modes:
        config = dataclasses.replace(default, spike=dataclasses.replace(default.spike, baseline=mode))
        # The same spikes for both modes: a fresh generator with the same seed for the spike days.
        bench(regions, clean, np.random.default_rng(args.seed + 1), config)
    # What a live run costs on a store of this size: every detector, default weeks, at the end of the data.
    as_of = datetime.datetime.combine(START + datetime.timedelta(days=7 * WEEKS - 1), datetime.time(23, 59))
    timer = time.perf_counter()
    live = detect_all(clean, as_of, default)
    print(f"\ndetect_all at the last week on {len(clean)} incidents: {len(live)} alerts in "
          f"{time.perf_counter() - timer:.1f} s")
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
