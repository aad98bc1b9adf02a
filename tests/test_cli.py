"""The `hub` command, driven through its real entry points on fixture hubs.

Most tests call `hub.cli.main([...])` (the function the `hub` console script runs) from inside
a fixture site and assert on what it prints and returns; a few run `.venv/bin/hub` itself.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import frontmatter
import pytest
import yaml

from hub import parallel
from hub.cli import main
from hub.importer import parse_seed
from hubsite import ROOT, build_hub, make_hub, story_text

SEED = ROOT / "seeds" / "000_23e9fba3dfd2d339.txt"
EPOCH_2025 = 1_735_689_600  # 2025-01-01T00:00:00Z
STORY = "content/stories/2024/x.md"


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """A function that writes a fixture hub and makes it the current folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH_2025))

    def make(stories: dict[str, str], **kwargs) -> Path:
        return make_hub(tmp_path, stories, **kwargs)
    return make


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def real_registries() -> dict[str, list]:
    registry = ROOT / "content" / "_registry"
    return {"tags": yaml.safe_load((registry / "tags.yml").read_text(encoding="utf-8")),
            "companies": yaml.safe_load((registry / "companies.yml").read_text(encoding="utf-8"))}


def front_matter(path: Path) -> dict:
    """What `hub new` / `hub import` wrote, read by python-frontmatter (the shape editors' tools read)."""
    return frontmatter.load(path).metadata


# -- hub check ----------------------------------------------------------------------------

def test_check_clean_hub_exits_0(hub, capsys):
    hub({"2024/x.md": story_text()})
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out == "hub check: 1 story, 0 error(s), 0 advisory note(s)\n"


def test_check_reports_file_line_field_and_exits_1(hub, capsys):
    hub({"2024/x.md": story_text(date="2024-02-30"), "2024/y.md": story_text(title="Fine")})
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.splitlines()[0].startswith(f"{STORY}:3: date: `2024-02-30` is not a real date")
    assert out.splitlines()[-1] == "hub check: 2 stories, 1 error(s), 0 advisory note(s)"


def test_check_github_format_annotates_the_line(hub, capsys):
    hub({"2024/x.md": story_text(body="One [1], two [2].")})
    code, out, _ = run(capsys, "check", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        f"::error file={STORY},line=12,title=hub check%3A body::body: citation [2] has no source 2 "
        "Fix: The story has 1 source(s); cite [1] to [1] or add the source.")


def test_check_named_files_narrow_the_report(hub, capsys):
    hub({"2024/x.md": story_text(date="2024-02-30"), "2024/y.md": story_text(title="Fine")})
    code, out, _ = run(capsys, "check", "content/stories/2024/y.md")
    assert (code, out) == (0, "hub check: 1 story, 0 error(s), 0 advisory note(s)\n")
    code, out, _ = run(capsys, "check", "content/stories/2024")
    assert code == 1 and "2 stories, 1 error(s)" in out
    # A changed registry can break any story: naming it checks everything.
    code, out, _ = run(capsys, "check", "content/_registry/tags.yml")
    assert code == 1 and f"{STORY}:3: date:" in out


def test_check_unknown_path_and_missing_config_are_messages(hub, capsys, tmp_path, monkeypatch):
    hub({"2024/x.md": story_text()})
    code, out, err = run(capsys, "check", "content/stories/2024/nope.md")
    assert code == 2 and err == "hub: content/stories/2024/nope.md: no such file or folder\n"
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    code, out, err = run(capsys, "check")
    if code == 2 and "no mkdocs.yml" in err:  # unless some parent folder holds a mkdocs.yml
        assert "Traceback" not in err
    code, out, err = run(capsys, "--config", str(empty / "missing.yml"), "check")
    assert code == 2 and "missing.yml: cannot be read" in err


def test_possible_duplicate_is_an_advisory(hub, capsys):
    shared = [{"publisher": "A", "url": "https://a.example.com/story", "title": "A"},
              {"publisher": "B", "url": "https://b.example.com/news", "title": "B"}]
    variant = [{"publisher": "A", "url": "http://www.A.example.com/story/?utm_source=x", "title": "A"},
               {"publisher": "B", "url": "https://b.example.com/news#top", "title": "B"}]
    one_shared = [shared[0], {"publisher": "C", "url": "https://c.example.com/x", "title": "C"}]
    body = "Both [1] [2]."
    hub({"2024/first.md": story_text("First", "2024-05-01", sources=shared, body=body),
         "2024/second.md": story_text("Second", "2024-05-02", sources=variant, body=body),
         "2024/third.md": story_text("Third", "2024-05-03", sources=one_shared, body=body),
         "2024/draft.md": story_text("Draft", "2024-05-04", sources=shared, body=body, extra="draft: true")})
    code, out, _ = run(capsys, "check")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("content/stories/2024/second.md:8: sources: possible duplicate of "
                        "stories/2024/first.md (\"First\"): both cite the same pages: source 1 "
                        "(http://www.A.example.com/story/?utm_source=x) = its source 1 "
                        "(https://a.example.com/story); source 2 (https://b.example.com/news#top) = "
                        "its source 2 (https://b.example.com/news) [advisory] Fix: If both "
                        "stories report the same news, merge them; otherwise ignore this.")
    assert lines[-1] == "hub check: 4 stories, 0 error(s), 1 advisory note(s)"


def test_same_headline_is_an_advisory_against_the_earlier_story(hub, capsys):
    hub({"2024/a.md": story_text("OpenAI launches GPT-4o", "2024-05-13"),
         "2024/b.md": story_text("OpenAI Launches GPT 4o!", "2024-05-14", extra="draft: true")})
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out.splitlines() == [
        "content/stories/2024/b.md:2: title: the same headline as stories/2024/a.md [advisory] Fix: If "
        "both report the same news, merge them; otherwise make the headlines differ.",
        "hub check: 2 stories, 0 error(s), 1 advisory note(s)"]


def test_source_long_after_story_is_an_error_and_fails_a_strict_build(hub, capsys):
    late = [{"publisher": "A", "url": "https://a.example.com/x", "title": "A", "date": "2024-07-01"}]
    config = hub({"2024/x.md": story_text(date="2024-05-01", sources=late)})
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.startswith(f"{STORY}:8: sources[1].date: 2024-07-01 is 61 days after the story (2024-05-01)")
    assert build_hub(config).aborted


def test_updated_story_may_cite_a_later_source(hub, capsys):
    late = [{"publisher": "A", "url": "https://a.example.com/x", "title": "A", "date": "2024-07-01"}]
    hub({"2024/x.md": story_text(date="2024-05-01", sources=late, extra="updated: 2024-07-02")})
    assert run(capsys, "check")[0] == 0


def test_future_story_is_an_advisory_and_the_build_passes(hub, capsys):
    config = hub({"2024/x.md": story_text(), "2025/later.md": story_text("Later", "2025-06-01")})
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out.startswith("content/stories/2025/later.md:3: date: 2025-06-01T00:00:00Z is after the "
                          "build time (2025-01-01T00:00:00Z): the story is scheduled")
    result = build_hub(config, source_date_epoch=EPOCH_2025)
    assert result.aborted is None
    assert any("is after the build time" in m for m in result.messages("INFO"))
    assert any("1 advisory note(s)" in m for m in result.messages("INFO"))


def test_unlisted_company_is_an_advisory_in_the_headline_or_often_in_the_body(hub, capsys):
    hub({"2024/x.md": story_text("Nvidia Corporation ships a chip"),
         "2024/often.md": story_text("Often", body="NVIDIA did it [1].\n\nNVIDIA said so.\n\nNVIDIA again."),
         "2024/rival.md": story_text("Rival", body="Something happened [1].\n\nRival NVIDIA Corporation said so, "
                                          "and NVIDIA will answer.")})
    code, out, _ = run(capsys, "check")
    assert code == 0
    assert out.splitlines() == [
        "content/stories/2024/often.md:12: companies: the story names NVIDIA 3 times in the body but "
        "`companies:` does not list it [advisory] Fix: Add `NVIDIA` to `companies:` if the story is about it.",
        f"{STORY}:2: companies: the story names NVIDIA (as \"Nvidia Corporation\") in the title but "
        "`companies:` does not list it [advisory] Fix: Add `NVIDIA` to `companies:` if the story is about it.",
        "hub check: 3 stories, 0 error(s), 2 advisory note(s)"]


# -- hub new ------------------------------------------------------------------------------

def test_new_writes_a_draft_that_checks_and_never_overwrites(hub, capsys):
    hub({"2024/x.md": story_text()})
    args = ["new", "OpenAI ships a thing", "--source", "https://news.example.com/other",
            "--source", "https://www.theverge.com/2024/1/1/thing", "--tag", "llms", "--company", "openai",
            "--date", "2024-06-01"]
    code, out, err = run(capsys, *args)
    path = Path("content/stories/2024/openai-ships-a-thing.md")
    assert code == 0, err
    assert out.splitlines()[0] == f"Wrote {path} (a draft)."
    assert "Before it can be published, fill in:" in out
    fm = front_matter(path)
    assert fm["title"] == "OpenAI ships a thing"
    assert fm["date"] == date(2024, 6, 1)
    assert fm["tags"] == ["Large language models"] and fm["companies"] == ["OpenAI"]
    assert fm["draft"] is True
    assert fm["sources"][0] == {"publisher": "Example News", "url": "https://news.example.com/other",
                                "title": "TODO: the page's headline"}  # publisher as other stories spell it
    assert fm["sources"][1]["publisher"] == "theverge.com"
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "0 error(s), 4 advisory note(s)" in out
    before = path.read_text()
    code, _, err = run(capsys, *args)
    assert (code, err) == (1, f"hub new: {path} already exists and was left as it is; pass --slug to "
                              "choose another file name.\n")  # the words `hub import` uses
    assert path.read_text() == before
    # Published with the placeholders still in: errors.
    path.write_text(before.replace("draft: true\n", ""))
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1 and "4 error(s)" in out


def test_new_today_by_default_and_unknown_names_suggested(hub, capsys):
    hub({"2024/x.md": story_text()})
    code, _, err = run(capsys, "new", "T", "--source", "https://a.example.com/", "--tag", "AI chip",
                       "--company", "Nvidea")
    assert code == 1
    assert "hub new: --tag 'AI chip': not in the tag registry. Did you mean 'AI chips'?" in err
    assert "--company 'Nvidea': not in the company registry. Did you mean 'NVIDIA'?" in err
    code, out, _ = run(capsys, "new", "Chips today", "--source", "https://a.example.com/", "--tag", "chips")
    today = datetime.now(timezone.utc).date()
    path = Path(f"content/stories/{today.year}/chips-today.md")
    assert code == 0 and front_matter(path)["date"] == today
    code, _, err = run(capsys, "new", "T", "--source", "ftp://x", "--tag", "chips")
    assert code == 1 and "--source 'ftp://x': not a full http(s) address" in err


# -- hub import ---------------------------------------------------------------------------

def test_import_seed_field_by_field(hub, capsys):
    hub({}, **real_registries())
    code, out, err = run(capsys, "import", str(SEED))
    assert code == 0, err
    path = Path("content/stories/2024/chinese-tech-giants-accelerate-ai-investments-despite-us-chip-restrictions.md")
    assert out.splitlines()[0] == f"Wrote {path} (a draft)."
    fm = front_matter(path)
    assert fm["title"] == "Chinese Tech Giants Accelerate AI Investments Despite US Chip Restrictions"
    assert fm["date"] == datetime(2024, 8, 26, 16, 2, tzinfo=timezone.utc)
    assert "date: 2024-08-26T16:02:00Z\n" in path.read_text()
    assert fm["summary"] == (
        "Despite US restrictions on China's access to advanced AI chips, major Chinese tech companies "
        "are ramping up their investments in artificial intelligence. Alibaba and Tencent are leading "
        "the charge with significant financial commitments and strategic partnerships.")
    assert fm["companies"] == ["Alibaba", "Tencent", "NVIDIA"]
    assert {"China", "Investment", "AI chips"} <= set(fm["tags"]) and len(fm["tags"]) <= 5
    assert fm["curator"] == "THEOUTPOST"
    assert fm["draft"] is True
    assert fm["sources"] == [{"pending": True, "publisher": "", "url": "", "title": ""}] * 3
    body = path.read_text().split("---\n", 2)[2]
    assert "## Alibaba's Ambitious AI Strategy" in body
    assert "competitive in the global AI race [1]." in body
    assert "cloud computing infrastructure [2]. This substantial" in body
    assert "development efforts [3]." in body
    assert "over 100 large language models" in body  # a number in prose is not a citation
    assert "1. Developing domestic chip manufacturing capabilities\n2. Leveraging" in body
    assert "Continue Reading" not in body and "All rights reserved" not in body
    assert "sources 1-3: the page counts 3; for each, fill publisher, url and title" in out
    assert "2024 is the latest year that matches its weekday" in out
    # The draft is valid: only advisories (the TODO line) until the editor finishes it.
    code, out, _ = run(capsys, "check", str(path))
    assert code == 0 and "0 error(s), 1 advisory note(s)" in out
    assert fm["origin"] == "sha256:" + hashlib.sha256(SEED.read_text().strip().encode()).hexdigest()
    before = path.read_text()
    code, _, err = run(capsys, "import", str(SEED))
    assert (code, err) == (1, f"hub import: {SEED}: this page was imported before, as {path}; nothing "
                              "was written. Edit that story, or pass --force to import the page again.\n")
    code, _, err = run(capsys, "import", str(SEED), "--force")
    assert (code, err) == (1, f"hub import: {path} already exists and was left as it is; pass --slug "
                              "to choose another file name.\n")
    assert path.read_text() == before
    code, out, err = run(capsys, "import", str(SEED), "--force", "--slug", "second-copy")
    assert code == 0, err
    code, out, _ = run(capsys, "check")
    assert ("content/stories/2024/second-copy.md:8: origin: imported from the same page as "
            f"stories/2024/{path.name} (\"Chinese Tech Giants Accelerate AI Investments Despite US Chip "
            "Restrictions\") [advisory]") in out


def test_import_finds_the_story_written_before_imports_recorded_their_origin(hub, capsys, tmp_path):
    cited = [{"publisher": "Outpost", "url": "https://theoutpost.ai/news-story/x-1", "title": "X"}]
    hub({"2024/same-headline.md": story_text("Chinese tech giants accelerate AI investments despite "
                                             "US chip restrictions!", "2024-08-26"),
         "2024/cites-it.md": story_text("Other words", "2024-08-27", sources=cited)}, **real_registries())
    code, _, err = run(capsys, "import", str(SEED))
    assert (code, err) == (1, f"hub import: {SEED}: a story with this headline exists: "
                              "content/stories/2024/same-headline.md; nothing was written. Edit that "
                              "story, or pass --force to import the page again.\n")
    (tmp_path / "addressed.txt").write_text("A new headline\n\nURL: http://www.theoutpost.ai/news-story/x-1/\n"
                                            "On Mon, 26 Aug, 4:02 PM UTC\n\nLead.\n\nBody.\n")
    code, _, err = run(capsys, "import", "addressed.txt")
    assert code == 1 and "this page is source 1 of content/stories/2024/cites-it.md" in err
    code, out, _ = run(capsys, "import", "addressed.txt", "--force", "--dry-run")
    assert code == 0 and 'origin: "http://www.theoutpost.ai/news-story/x-1/"\n' in out


def test_import_problems_are_messages(hub, capsys, tmp_path):
    hub({})
    (tmp_path / "empty.txt").write_text("\n\n")
    code, _, err = run(capsys, "import", "empty.txt")
    assert (code, err) == (1, "hub import: empty.txt: the file is empty\n")
    (tmp_path / "undated.txt").write_text("A title\n\nA lead paragraph.\n\nBody.\n")
    code, _, err = run(capsys, "import", "undated.txt")
    assert code == 1 and "no dated line found" in err and "--date" in err
    code, out, _ = run(capsys, "import", "undated.txt", "--date", "2024-03-02", "--dry-run")
    assert code == 0 and "date: 2024-03-02\n" in out and not Path("content/stories/2024").exists()
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9\n")
    code, _, err = run(capsys, "import", "latin1.txt")
    assert code == 1 and "not UTF-8" in err
    code, _, err = run(capsys, "import", "nothing.txt")
    assert code == 1 and "nothing.txt" in err


def test_seed_year_comes_from_the_weekday():
    page = parse_seed("T\n\nOn Tue, 4 Jun, 9:05 AM UTC\n\n2 Sources\n\nLead.\n\nText here 1 2.\n",
                      date(2026, 11, 29))
    assert page.published == datetime(2024, 6, 4, 9, 5, tzinfo=timezone.utc)  # 4 Jun 2024 was a Tuesday
    assert page.blocks == ["Text here [1] [2]."]


# -- hub report ---------------------------------------------------------------------------

def test_report_taxonomy_and_sources(hub, capsys):
    tags = [{"name": "AI chips"}, {"name": "AI chip set"}, {"name": "Regulation"},
            {"name": "Robotics"}, {"name": "Large language models", "aliases": ["LLM"]},
            {"name": "Large-Language Model"}]
    two = [{"publisher": "The Verge", "url": "https://www.theverge.com/a", "title": "A"},
           {"publisher": "the verge", "url": "http://plain.example.com/b", "title": "B"}]
    hub({"2024/a.md": story_text("A", tags="[AI chips, Regulation]", sources=two, body="X [1] [2]."),
         "2024/b.md": story_text("B", tags="[AI chips]", body="NVIDIA did it [1]. NVIDIA, NVIDIA."),
         "2024/draft.md": story_text("D", tags="[AI chips]", extra="draft: true",
                                     sources=[{"publisher": "Drafty", "url": "https://d.example.com/", "title": "D"}]),
         "2024/bad.md": story_text("Bad", date="2024-13-01")}, tags=tags)
    code, out, _ = run(capsys, "report")
    assert code == 0
    assert out.startswith("Hub report: 3 stories (1 draft); 1 file(s) with errors left out, see `hub check`")
    sections = {chunk.split("\n", 1)[0]: chunk.split("\n", 1)[1] for chunk in out.split("\n\n")[1:]}
    assert sections["Tags used by one story only (1)"] == "  Regulation: content/stories/2024/a.md"
    assert "  tags: Large language models / Large-Language Model" in sections[
        "Names that differ only by case or spelling (1)"]
    assert sections["Registry entries never used (5)"].splitlines() == [
        "  tag: AI chip set", "  tag: Robotics", "  tag: Large language models",
        "  tag: Large-Language Model", "  company: NVIDIA"]
    assert sections["Companies named in the text but not listed (1)"] == (
        "  content/stories/2024/b.md:12: NVIDIA 3 times in the body")
    assert sections["Stories with a single source (2)"].splitlines() == [
        "  content/stories/2024/b.md", "  content/stories/2024/draft.md"]
    assert sections["Sources over plain http (1)"] == "  content/stories/2024/a.md: source 2: http://plain.example.com/b"
    assert sections["Publishers by number of stories (2)"].splitlines() == [  # the draft's left out
        "     1  Example News", "     1  The Verge  (also spelled: the verge)"]
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0 and '"single_source": [\n    "stories/2024/b.md",\n    "stories/2024/draft.md"\n  ]' in out


# -- the installed command and the parallel reader -----------------------------------------

def test_installed_command(hub, tmp_path):
    hub({"2024/x.md": story_text(date="2024-02-30")})
    exe = Path(sys.executable).parent / "hub"
    if not exe.exists():
        pytest.skip("the hub console script is not installed in this environment")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH_2025))
    done = subprocess.run([str(exe), "check"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stdout.startswith(f"{STORY}:3: date:")
    helped = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert helped.returncode == 0
    for command in ("check", "new", "import", "report"):
        assert command in helped.stdout
    bad = subprocess.run([str(exe), "check", "--format", "xml"], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode == 2 and "invalid choice" in bad.stderr and "Traceback" not in bad.stderr


def test_parallel_reading_gives_the_same_result(hub, capsys, monkeypatch):
    stories = {f"2024/s{i}.md": story_text(f"Story {i}", body="Text [1].") for i in range(12)}
    stories["2024/bad.md"] = story_text("Bad", date="2024-02-30")
    hub(stories)
    serial = run(capsys, "check")
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 2)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    assert run(capsys, "check") == serial
