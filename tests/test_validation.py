"""One test per validation case: the message names the file, the line and the field.

Stories are read through the same `read_story`/`load_hub` the build uses; the last tests check
that a strict build aborts on them and that a preview (serve) leaves only the bad story out.
"""
from __future__ import annotations

import pytest

from hub.loader import load_hub
from hub.settings import HubSettings
from hubsite import build_hub, make_hub, story_text

PATH = "stories/2024/x.md"


def problems_for(tmp_path, text: str | bytes, name: str = "2024/x.md") -> list[str]:
    make_hub(tmp_path, {name: text})
    loaded = load_hub(tmp_path / "content", [f"stories/{name}"], HubSettings())
    return [str(p) for p in loaded.problems]


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


CASES = {
    "missing title": (story_text().replace('title: "A story"\n', ""),
                      f"{PATH}:2: title: required field is missing"),
    "empty summary": (story_text().replace("summary: A short summary of the story.", 'summary: ""'),
                      f"{PATH}:4: summary: is empty"),
    "missing sources": (story_text().split("sources:")[0] + "---\nBody.\n",
                        f"{PATH}:2: sources: required field is missing"),
    "empty tags": (story_text(tags="[]"), f"{PATH}:5: tags: needs at least one tag"),
    "typo field": (story_text(extra="tilte: Oops"), f"{PATH}:11: tilte: unknown field Fix: Did you mean `title`?"),
    "malformed yaml": (story_text(extra="summary2: [unclosed"), f"{PATH}:12: front matter: invalid YAML"),
    "tab indentation": (story_text(extra="extra:\n\t- x"), f"{PATH}:12: front matter: invalid YAML"),
    "duplicate key": (story_text(extra="title: Again"),
                      f"{PATH}:11: front matter: duplicate key `title` (first on line 2)"),
    "month 13": (story_text(date="2024-13-45"), f"{PATH}:3: date: `2024-13-45` has month 13"),
    "february 30": (story_text(date="2024-02-30"), f"{PATH}:3: date: `2024-02-30` is not a real date"),
    "date as number": (story_text(date="20240826"), f"{PATH}:3: date: `20240826` is not a date"),
    "javascript url": (story_text(sources=[{"publisher": "X", "url": "javascript:alert(1)", "title": "T"}]),
                       f"{PATH}:9: sources[1].url: `javascript:alert(1)` is not an http(s) address"),
    "ftp url": (story_text(sources=[{"publisher": "X", "url": "ftp://example.com/a", "title": "T"}]),
                f"{PATH}:9: sources[1].url: `ftp://example.com/a` is not an http(s) address"),
    "citation without source": (story_text(body="One [1].\n\nTwo [2]."),
                                f"{PATH}:14: body: citation [2] has no source 2"),
    "source never cited": (story_text(body="No markers at all."),
                           f"{PATH}:7: sources[1]: source 1 (Example News) is never cited"),
    "yaml 1.1 on as tag": (story_text(tags="[on]"),
                           f"{PATH}:5: tags: unknown tag `on`"),
    "unknown company suggests": (story_text(companies="[OpenAl]"),
                                 f"{PATH}:6: companies: unknown company `OpenAl` Fix: Did you mean `OpenAI`?"),
    "alias": (story_text(extra="x: &a [1]\ny: *a"), f"{PATH}:12: front matter: YAML anchors and aliases"),
    "python tag": (story_text(extra="x: !!python/object:os.system {}"),
                   f"{PATH}:11: front matter: YAML tag !!python/object:os.system is not allowed"),
    "bad slug": (story_text(extra="slug: ../../x"), f"{PATH}:11: slug: `../../x` is not a valid slug"),
    "unknown tag, nothing close": (story_text(tags="[Zebra]"),
                                   f"{PATH}:5: tags: unknown tag `Zebra` Fix: Use a name from the tag "
                                   "registry, or add `Zebra` to the tag registry."),
    "unclosed quote": (story_text().replace('title: "A story"', 'title: "A story'),
                       f"{PATH}:2: front matter: invalid YAML: a quoted value is never closed Fix: End "
                       "the value with the quote mark it starts with, on this line."),
    "bad origin": (story_text(extra="origin: seed-1"),
                   f"{PATH}:11: origin: `seed-1` is neither an http(s) address nor `sha256:` and 64 hex digits"),
    "no closing marker": ("---\ntitle: A\n", f"{PATH}:1: file: the front matter has no closing `---`"),
    "empty file": ("", f"{PATH}:1: file: the file is empty"),
    "list front matter": ("---\n- a\n- b\n---\nBody\n", f"{PATH}:2: front matter: front matter must be `field: value` lines"),
    "updated before date": (story_text(date="2024-05-02", extra="updated: 2024-05-01"),
                            f"{PATH}:11: updated: is earlier than `date`"),
    "pending source outside draft": (story_text(sources=[{"pending": True}], body="x [1]"),
                                     f"{PATH}:8: sources[1]: is still pending"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_problem_names_file_line_and_field(tmp_path, name):
    text, expected = CASES[name]
    assert only(problems_for(tmp_path, text)).startswith(expected)


def test_not_utf8_names_the_line(tmp_path):
    data = story_text().encode() + "caf\xe9\n".encode("latin-1")
    assert only(problems_for(tmp_path, data)).startswith(f"{PATH}:13: file: the file is not UTF-8")


def test_yaml_11_no_is_the_text_no_not_false(tmp_path):
    make_hub(tmp_path, {"2024/x.md": story_text(tags="[no, LLM]")})
    loaded = load_hub(tmp_path / "content", [PATH], HubSettings())
    assert loaded.problems == []
    assert [t.name for t in loaded.stories[0].tags] == ["Nothing", "Large language models"]


def test_octal_looking_title_stays_text(tmp_path):
    make_hub(tmp_path, {"2024/x.md": story_text().replace('title: "A story"', "title: 012")})
    loaded = load_hub(tmp_path / "content", [PATH], HubSettings())
    assert loaded.stories[0].title == "012"


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = story_text(date="2024-02-30", tags="[Nope]", extra="tilte: x")
    found = problems_for(tmp_path, text)
    assert [p.split(": ")[0] for p in found] == [f"{PATH}:3", f"{PATH}:5", f"{PATH}:11"]


def test_two_stories_with_the_same_output_path(tmp_path):
    make_hub(tmp_path, {"2024/a.md": story_text(extra="slug: b"), "2024/b.md": story_text()})
    loaded = load_hub(tmp_path / "content", ["stories/2024/a.md", "stories/2024/b.md"], HubSettings())
    assert [str(p) for p in loaded.problems] == [
        "stories/2024/b.md:1: slug: gives the same page `stories/2024/b.md` as stories/2024/a.md "
        "Fix: Give one of the two stories a different `slug:`."]


def test_slugs_colliding_after_normalisation(tmp_path):
    make_hub(tmp_path, {"2024/My-Story.md": story_text(), "2024/my-story.md": story_text()})
    loaded = load_hub(tmp_path / "content", ["stories/2024/My-Story.md", "stories/2024/my-story.md"], HubSettings())
    assert len(loaded.stories) == 1
    assert "slug: gives the same page `stories/2024/my-story.md`" in str(loaded.problems[0])


def test_strict_build_fails_and_writes_nothing(tmp_path):
    config = make_hub(tmp_path, {"2024/good.md": story_text(), "2024/bad.md": story_text(date="2024-02-30")})
    result = build_hub(config, strict=True)
    assert result.aborted == "Aborted: 1 problem(s) in the content (listed above)."
    assert "hub: stories/2024/bad.md:3: date: `2024-02-30` is not a real date: 2024-02 has no day 30 " \
           "Fix: Write a real date such as 2024-08-26 or 2024-08-26T16:02:00Z." in result.messages()
    assert not (result.site / "stories").exists()


def test_preview_leaves_the_bad_story_out_and_builds_the_rest(tmp_path):
    config = make_hub(tmp_path, {"2024/good.md": story_text("Good one"), "2024/bad.md": story_text(date="2024-02-30")})
    result = build_hub(config, strict=False, serve=True)
    assert result.aborted is None
    assert any("bad.md:3: date:" in m for m in result.messages())
    assert (result.site / "stories/2024/good/index.html").exists()
    assert not (result.site / "stories/2024/bad").exists()
    assert "Good one" in result.html("index.html")
