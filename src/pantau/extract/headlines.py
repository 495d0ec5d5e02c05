"""Headlines of other stories left in a body: their figures are not this story's facts.

Scraped bodies keep two kinds of them, and the fact extractors (seizures, statistics) skip both:

* **Headline lines.** A line of its own in title case, without a closing full stop ("Bareskrim
  Gagalkan Peredaran 5 Kg Sabu di Riau"): a related-article link or a sub-heading. A story's own
  sentences are mostly lower-case words and end with punctuation.
* **Marked links.** "Baca juga: <headline>" inside a paragraph. Where the scrape glued the next
  sentence to the link ("Baca juga: Polri Gagalkan 5 Kg Sabu Nurzaman menjelaskan, hasil ..."),
  the headline ends where a run of lower-case words begins: headlines capitalise their words.
"""

from __future__ import annotations

import re

# A headline line has at least this many words, and at least this share of them capitalised
# (title case leaves short function words such as "di", "dan", "ke" in lower case).
HEADLINE_MIN_WORDS = 4
HEADLINE_CAPITALISED_SHARE = 0.7
# This many lower-case words in a row end a marked headline: the story's own text has resumed.
LOWER_RUN_ENDS_HEADLINE = 3
# No headline is longer: a longer line is a paragraph (and reading it whole for every fact in it would be
# quadratic in its length).
HEADLINE_MAX_CHARS = 300

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_CLOSING = re.compile(r"[.!?:;\"”’)]\s*$")


def is_headline_line(line: str) -> bool:
    """Whether a body line is a headline: title case, at least four words, no closing punctuation."""
    if len(line) > HEADLINE_MAX_CHARS or _CLOSING.search(line):
        return False
    words = _WORD.findall(line)
    if len(words) < HEADLINE_MIN_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= HEADLINE_CAPITALISED_SHARE * len(words)


def headline_continues(text: str) -> bool:
    """Whether ``text``, read right after a link marker ("Baca juga:"), is still the headline.

    False once LOWER_RUN_ENDS_HEADLINE lower-case words follow each other: the story resumed.
    """
    run = 0
    for token in text.split():
        word = token.strip(",.;:!?\"'“”‘’()")
        if word and word[0].islower() and word.isalpha():
            run += 1
            if run >= LOWER_RUN_ENDS_HEADLINE:
                return False
        else:
            run = 0
    return True
