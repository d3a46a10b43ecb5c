"""Value filters shared by every rule: entropy, placeholders, and paths where secrets are expected.

Placeholder filtering is what keeps the scanner quiet on documentation and templates: ``${VAR}``,
``{{ var }}``, ``<your-key>``, ``changeme``, ``xxxx``, runs of one character, and the example
values that provider documentation prints.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Final

# Well-known example values from provider documentation (AWS, Stripe, Slack, ...). Matching is on
# substrings so that a documented value inside a longer string is still recognised.
_DOC_EXAMPLES: Final = (
    "akiaiosfodnn7example",
    "wjalrxutnfemi/k7mdeng/bpxrficyexamplekey",
    "je7mtgbclwbf/2tk6iyd/wgjqgvwjq4bpxrfiexample",
    "sk_test_4ec39hqlyjwdarjtt1zdp7dc",
    "sk_test_bqokikjoct2nheq2ibw9aw7",
    "xoxb-not-a-real-token",
)
_PLACEHOLDER_WORDS: Final = (
    "example",
    "placeholder",
    "dummy",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "changeme",
    "change_me",
    "change-me",
    "redacted",
    "replace",
    "_here",
    "-here",
    " here",
    "put your",
    "insert_",
    "xxxx",
    "****",
    "...",
    "<",
    ">",
    "${",
    "{{",
    "%(",
    "$(",
    "abcdefgh",
    "123456789",
    "0123456",
)
_REPEATED_RUN = re.compile(r"(.)\1{5,}")
_TEST_DIRS: Final = frozenset(
    {
        "test", "tests", "testing", "spec", "specs", "__tests__", "testdata", "test_data",
        "fixtures", "fixture", "__fixtures__", "mocks", "__mocks__", "docs", "doc",
        "documentation", "examples", "example", "samples", "sample",
    }
)  # fmt: skip
_TEST_FILE = re.compile(
    r"(?:^test_.*\.py$|_test\.(?:py|go|rb|exs?)$|\.(?:test|spec)\.[jt]sx?$|Tests?\.(?:java|cs|kt)$"
    r"|\.(?:md|rst|adoc|ipynb)$)"
)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` under its own character distribution."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def is_placeholder(value: str) -> bool:
    """Whether a value is a template, a dummy, or a documented example rather than a secret."""
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if any(example in lowered for example in _DOC_EXAMPLES):
        return True
    if _REPEATED_RUN.search(value):
        return True
    return len(value) >= 8 and len(set(value)) <= 3


def is_expected_secret_path(path: str) -> bool:
    """Tests, fixtures, docs and examples: secrets there are usually fake, so confidence drops."""
    parts = path.lower().split("/")
    if any(part in _TEST_DIRS for part in parts[:-1]):
        return True
    return bool(_TEST_FILE.search(path.rsplit("/", 1)[-1]))
