"""The search tokenizer has two copies, hooks/hub/searchtext.py (what the build indexes) and
search.js (what the reader types): both must cut every string into the same words, or a typed
word misses the stories that hold it. The JavaScript copy runs in Node (skipped without it)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hub.searchtext import _WORD, fold, tokens

SEARCH_JS = Path(__file__).resolve().parents[1] / "theme_overrides" / "assets" / "javascripts" / "search.js"
SAMPLES = [
    "NVIDIA unveils the Blackwell GPU platform at GTC 2024",
    "Café, CAFÉ and cafe\u0301 are one word",  # precomposed, upper case, decomposed
    "Anthropic’s Claude 3 beats GPT-4 (o1-preview); snake_case and kebab-case",
    "Straße ŁÓDŹ Ærø İstanbul ΣΟΦΟΣ naïve coöperate",
    "ﬁnance ½ ² Ⅻ ①",  # compatibility forms NFKD splits or rewrites
    "東京 AI 研究所 한국어 العربية हिन्दी",
    "emoji 🤖 robots, tabs\tand\nnew lines; <script>alert(1)</script>",
    "",
]


def test_python_tokens_fold_case_and_accents():
    assert tokens("Café, CAFÉ and cafe\u0301") == ["cafe", "cafe", "and", "cafe"]
    assert tokens("GPT-4 o1_preview") == ["gpt", "4", "o1", "preview"]
    assert fold("ŁÓDŹ") == "łodz"  # Ł has no decomposition: lower-cased, kept


def test_the_fast_path_finds_the_words_the_pattern_does():
    """ASCII text (after folding and spacing out punctuation) is split, not matched."""
    for sample in SAMPLES + ["It’s “quoted” — and… spaced · out", "a_b-c.d/e:f[1](g)"]:
        assert tokens(sample) == _WORD.findall(fold(sample)), sample


@pytest.mark.skipif(not shutil.which("node"), reason="Node is not installed")
def test_javascript_tokens_are_the_python_tokens():
    source = SEARCH_JS.read_text(encoding="utf-8")
    twin = re.search(r"// tokens-start\n(.*?)// tokens-end", source, re.S)
    assert twin, "search.js lost its tokens-start/tokens-end markers"
    program = twin.group(1) + f"\nprocess.stdout.write(JSON.stringify({json.dumps(SAMPLES)}.map(tokens)));"
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [tokens(sample) for sample in SAMPLES]
