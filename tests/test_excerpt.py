"""A card's summary: whole when short, cut after a word with an ellipsis when long."""
from hub.excerpt import CARD_SUMMARY, excerpt


def test_a_short_summary_is_kept_whole():
    text = "Alibaba, Tencent and Baidu together spent about Rmb50bn on capital expenditure."
    assert excerpt(text) == text
    assert excerpt("x" * CARD_SUMMARY) == "x" * CARD_SUMMARY


def test_a_long_summary_is_cut_after_a_word():
    text = ("Amazon agreed to invest up to $4 billion in Anthropic, starting with $1.25 billion for a "
            "minority stake, and Anthropic will build its future models on Amazon's cloud and chips. " * 3)
    cut = excerpt(text)
    assert len(cut) <= CARD_SUMMARY + 1 and cut.endswith("…")
    assert text.startswith(cut[:-1]) and text[len(cut) - 1] == " "  # ends on a whole word
    assert not cut[:-1].endswith((",", " "))


def test_one_long_word_is_cut_inside_it():
    assert excerpt("a " + "y" * 300, limit=50) == "a " + "y" * 48 + "…"
