"""One seizure fact once: the figures a story states several times are reported once.

News repeats a seizure: in the lead and in a quote ("19,4 kilogram" ... "19.426, 7307 gram neto"),
as a gross and a net weight of the same packets ("bruto 21.158 gram" ... "19,4 kilogram"), and as
a total of itemised parts ("total barang bukti lebih dari 25 kilogram": a 100 g roll and 25 kg in
packets). The rules, applied in text order:

* **Restatements.** Figures of the same substance and unit within RESTATEMENT_TOLERANCE of each
  other, and not of two different periods, are one fact. The first statement is kept, as the
  annotation guide does (the lead's figure and its qualifier), with the period if any statement
  gives one. A class word's figure ("584 gram narkotika", substance "other") restates a named
  drug's figure of the same amount. Two separate equal seizures in one story are therefore
  reported once.
* **Gross and net.** A net figure and a gross figure of one substance, the net at least
  NET_SHARE_OF_GROSS of the gross, are the same packets weighed twice: one fact, the first stated.
* **Totals.** A figure within TOTAL_TOLERANCE of the sum of two or more other figures of its unit
  (and substance, unless it names none) is their total, and is left out: the parts are the facts.
* **Packages.** A package count (unit ``package``) is dropped when the story gives a measure for
  that substance and period: "satu paket sabu" then "sabu dengan berat 0,48 gram" is one packet.
  A package of no named drug ("satu karung narkotika") is dropped next to any named seizure. A
  package count listed in one sentence beside a weighed item of its drug ("10 linting ganja, lima
  paket kecil, satu paket besar seberat 350 gram") is a separate item and stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pantau.record import Seizure

RESTATEMENT_TOLERANCE = 0.01
# Packaging rarely weighs more than a quarter of a gross drug weight.
NET_SHARE_OF_GROSS = 0.75
TOTAL_TOLERANCE = 0.02


@dataclass(frozen=True, slots=True)
class Found:
    """A seizure as read, and whether its drug name was a class word ("narkotika")."""

    seizure: Seizure
    generic: bool = False
    separate: bool = False  # a package count listed beside a weighed item of its drug


@dataclass(slots=True)
class _Fact:
    seizure: Seizure  # the first statement, with the period of any statement
    generic: bool
    bases: set[str] = field(default_factory=set)
    separate: bool = False


def _same_drug(a: _Fact, b: _Fact) -> bool:
    return a.seizure.substance == b.seizure.substance or a.generic or b.generic


def _periods_agree(a: Seizure, b: Seizure) -> bool:
    return a.period == b.period or a.period is None or b.period is None


def _close(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(a, b)


def _restates(fact: _Fact, found: Found) -> bool:
    a, b = fact.seizure, found.seizure
    if a.unit != b.unit or a.quantity is None or b.quantity is None:
        return False
    if not _same_drug(fact, _Fact(b, found.generic)) or not _periods_agree(a, b):
        return False
    return _close(a.quantity, b.quantity, RESTATEMENT_TOLERANCE)


def _restatements(found: list[Found]) -> list[_Fact]:
    facts: list[_Fact] = []
    for item in found:
        s = item.seizure
        fact = next((f for f in facts if _restates(f, item)), None)
        if fact is None:
            facts.append(_Fact(s, item.generic, {s.weight_basis} if s.weight_basis else set(), item.separate))
            continue
        fact.separate = fact.separate or item.separate
        update: dict[str, object] = {"period": fact.seizure.period or s.period}
        if fact.generic and not item.generic:
            update |= {"substance": s.substance, "term": s.term}
            fact.generic = False
        fact.seizure = fact.seizure.model_copy(update=update)
        if s.weight_basis:
            fact.bases.add(s.weight_basis)
    for fact in facts:
        if fact.seizure.weight_basis is None and len(fact.bases) == 1:
            fact.seizure = fact.seizure.model_copy(update={"weight_basis": next(iter(fact.bases))})
    return facts


def _weighed_twice(net: _Fact, gross: _Fact) -> bool:
    a, b = net.seizure, gross.seizure
    if a.unit != "g" or b.unit != "g" or a.quantity is None or b.quantity is None:
        return False
    if net.bases != {"net"} or gross.bases != {"gross"}:
        return False
    return (_same_drug(net, gross) and _periods_agree(a, b)
            and NET_SHARE_OF_GROSS * b.quantity <= a.quantity <= b.quantity)


def _gross_and_net(facts: list[_Fact]) -> list[_Fact]:
    kept: list[_Fact] = []
    for fact in facts:
        if any(_weighed_twice(fact, other) or _weighed_twice(other, fact) for other in kept):
            continue  # the earlier statement of the same packets stands
        kept.append(fact)
    return kept


def _is_total(fact: _Fact, facts: list[_Fact]) -> bool:
    s = fact.seizure
    parts = [f.seizure.quantity or 0.0 for f in facts
             if f is not fact and f.seizure.unit == s.unit and _periods_agree(f.seizure, s)
             and (fact.generic or f.seizure.substance == s.substance)]
    return len(parts) >= 2 and s.quantity is not None and _close(s.quantity, sum(parts), TOTAL_TOLERANCE)


def one_fact_each(found: list[Found]) -> list[Seizure]:
    """The seizures of a story, each fact once (see the module docstring), in text order."""
    facts = _gross_and_net(_restatements(found))
    facts = [f for f in facts if not _is_total(f, facts)]
    kept = [f.seizure for f in facts if not _described_elsewhere(f, facts)]
    return sorted(kept, key=lambda s: s.span)


def _described_elsewhere(fact: _Fact, facts: list[_Fact]) -> bool:
    """Whether a package count is evidence the story states otherwise: a measure of its drug and
    period, or, for a package of no named drug ("satu karung narkotika"), any other seizure."""
    s = fact.seizure
    if s.unit != "package" or fact.separate:
        return False
    return any(f is not fact and _periods_agree(f.seizure, s)
               and ((f.seizure.unit != "package" and f.seizure.substance == s.substance)
                    or (fact.generic and not f.generic))
               for f in facts)
