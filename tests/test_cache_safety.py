"""The render cache never changes what is published: a warm build after failed builds,
renames and deletes of link targets, or damage to the cache's files, gives the exit status and
the bytes of a cold build (HUB_RENDER_CACHE=0)."""
from __future__ import annotations

import errno
import sqlite3

import pytest

from hubsite import build_hub, make_hub, story_text

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0


def _site(result):
    """Every output file but the gzipped sitemap (gzip stamps the time)."""
    return {str(p.relative_to(result.site)): p.read_bytes() for p in sorted(result.site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def _cold(config, monkeypatch):
    monkeypatch.setenv("HUB_RENDER_CACHE", "0")
    try:
        return build_hub(config)
    finally:
        monkeypatch.delenv("HUB_RENDER_CACHE")


def _same_as_cold(config, monkeypatch):
    """Build warm, then cold; both outcomes and sites must be equal. Returns the warm result."""
    warm = build_hub(config)
    warm_site = _site(warm)
    cold = _cold(config, monkeypatch)
    assert (warm.aborted is None) == (cold.aborted is None), (warm.aborted, cold.aborted)
    assert warm.messages("WARNING") == cold.messages("WARNING")
    if cold.aborted is None:
        assert warm_site == _site(cold)
    return warm


def _beta():
    return story_text("Beta story", "2023-05-02", tags="[AI chips]", companies="[NVIDIA]")


def _hub(tmp_path, body_a="Alpha happened [1]."):
    stories = {
        "2024/alpha.md": story_text("Alpha story", "2024-05-01", body=body_a),
        # Not related to alpha (no shared topic or company): its key does not cover them.
        "2023/beta.md": _beta(),
        "2023/gamma.md": story_text("Gamma story", "2023-03-03", tags="[Regulation]", companies=None),
    }
    return make_hub(tmp_path, stories), tmp_path / "content" / "stories"


def test_a_failed_strict_build_leaves_nothing_in_the_cache(tmp_path, monkeypatch):
    config, stories = _hub(tmp_path)
    build_hub(config)
    alpha = stories / "2024" / "alpha.md"
    alpha.write_text(alpha.read_text().replace("Alpha happened [1].",
                                               "Alpha happened [1]. See also [the follow-up](../2023/new-b.md)."))
    failed = build_hub(config)
    assert failed.aborted is not None  # the link target does not exist yet
    (stories / "2023" / "beta.md").rename(stories / "2023" / "new-b.md")
    warm = _same_as_cold(config, monkeypatch)
    assert warm.aborted is None
    assert 'href="../../2023/new-b/"' in warm.html("stories/2024/alpha/index.html")
    assert "2023/new-b.md" not in warm.html("feeds/feed.json")


@pytest.mark.parametrize("change", ["delete", "rename"])
def test_a_cached_page_follows_its_link_targets(tmp_path, monkeypatch, change):
    config, stories = _hub(tmp_path, body_a="Alpha happened [1]. See [beta](../2023/beta.md) and ![a chart](chart.png).")
    (stories / "2024" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    first = build_hub(config)
    assert first.aborted is None, first.messages("WARNING")
    target = stories / "2023" / "beta.md"
    if change == "delete":
        target.unlink()
    else:
        target.rename(stories / "2023" / "beta-renamed.md")
    warm = _same_as_cold(config, monkeypatch)
    assert warm.aborted is not None  # strict: the link's target is gone
    target = stories / "2023" / ("beta-renamed.md" if change == "rename" else "beta.md")
    target.write_text(_beta()) if change == "delete" else target.rename(stories / "2023" / "beta.md")
    (stories / "2024" / "chart.png").unlink()
    assert _same_as_cold(config, monkeypatch).aborted is not None  # the image is gone


def _damage_entries(cache_file, count=None):
    db = sqlite3.connect(cache_file)
    rows = db.execute("SELECT key, entry FROM pages").fetchall()
    damaged = 0
    for key, blob in rows:
        text = bytes(blob)
        where = text.find(b"Gamma story")
        if where < 0:
            continue
        db.execute("UPDATE pages SET entry = ? WHERE key = ?", (text[:where] + b"GaXma story" + text[where + 11:], key))
        damaged += 1
    db.commit()
    db.close()
    return damaged


def test_a_damaged_entry_is_dropped_and_made_again(tmp_path, monkeypatch):
    config, _ = _hub(tmp_path)
    build_hub(config)
    assert _damage_entries(tmp_path / ".cache" / "hub" / "pages.sqlite") > 0
    warm = _same_as_cold(config, monkeypatch)
    assert "GaXma" not in str(_site(warm))
    assert any("damaged entry was dropped" in m for m in warm.messages("INFO"))


def test_a_damaged_cache_file_is_replaced(tmp_path, monkeypatch):
    config, _ = _hub(tmp_path)
    build_hub(config)
    cache = tmp_path / ".cache" / "hub" / "pages.sqlite"
    data = bytearray(cache.read_bytes())
    for offset in range(4096, len(data), 1024):  # every page but the header
        data[offset:offset + 64] = b"\xff" * 64
    cache.write_bytes(bytes(data))
    damaged = _same_as_cold(config, monkeypatch)
    assert any("is damaged" in m for m in damaged.messages("INFO")), damaged.messages("INFO")
    build_hub(config)  # a new file
    again = build_hub(config)
    assert any("render cache:" in m and not m.split("render cache: ")[1].startswith("0 ")
               for m in again.messages("INFO")), again.messages("INFO")


def test_damaged_compiled_templates_are_compiled_again(tmp_path, monkeypatch):
    config, _ = _hub(tmp_path)
    build_hub(config)
    compiled = sorted((tmp_path / ".cache" / "hub" / "jinja").iterdir())
    assert compiled
    for path in compiled:
        data = bytearray(path.read_bytes())
        for offset in range(40, len(data), 97):
            data[offset] ^= 0x20
        path.write_bytes(bytes(data))
    warm = _same_as_cold(config, monkeypatch)
    assert warm.aborted is None
    assert any("damaged compiled template" in m for m in warm.messages("INFO"))


def test_a_full_disk_does_not_fail_the_build(tmp_path, monkeypatch):
    config, stories = _hub(tmp_path)
    build_hub(config)
    import pathlib
    real = pathlib.Path.write_bytes

    def full(self, data):
        if ".cache" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", full)
    (tmp_path / "theme_changed").write_text("")
    for path in (tmp_path / ".cache" / "hub" / "jinja").iterdir():
        path.unlink()  # every template must be compiled and stored again
    alpha = stories / "2024" / "alpha.md"
    alpha.write_text(alpha.read_text().replace("Alpha story", "Alpha edited"))
    result = build_hub(config)
    monkeypatch.setattr(pathlib.Path, "write_bytes", real)
    assert result.aborted is None
    assert "Alpha edited" in result.html("stories/2024/alpha/index.html")
    assert any("compiled templates are not kept" in m for m in result.messages("INFO"))


def test_a_new_catalogue_value_on_story_pages_needs_no_key_code(tmp_path, monkeypatch):
    """The page key is computed from the view the template gets: a view that grows a field
    derived from the whole catalogue (here: how many stories the hub has) keeps warm == cold,
    though nothing about keys was changed."""
    import dataclasses
    import shutil as copying

    from hub_site import content, views
    from hubsite import ROOT

    @dataclasses.dataclass(frozen=True)
    class CountedView(views.StoryView):
        hub_size: int = 0

    def counted_view(catalogue, story, related_count):
        plain = views.story_view(catalogue, story, related_count)
        return CountedView(**{f.name: getattr(plain, f.name) for f in dataclasses.fields(plain)},
                           hub_size=len(catalogue.stories))

    monkeypatch.setattr(content, "story_view", counted_view)
    theme = tmp_path / "theme"
    copying.copytree(ROOT / "theme_overrides", theme)
    template = theme / "hub" / "story_content.html"
    template.write_text(template.read_text() + '\n<p class="hub-size">One of {{ hub.hub_size }} stories</p>\n')
    stories = {"2024/alpha.md": story_text("Alpha story", "2024-05-01"), "2023/gamma.md": _beta()}
    config = make_hub(tmp_path, stories, config={"theme": {"name": "material", "custom_dir": str(theme), "font": False}})
    assert "One of 2 stories" in build_hub(config).html("stories/2024/alpha/index.html")
    # A story like gamma that shares nothing with alpha: alpha's story, related stories and the
    # site's feed channels are unchanged; only the count differs.
    (tmp_path / "content" / "stories" / "2023" / "delta.md").write_text(
        story_text("Delta story", "2023-05-03", tags="[AI chips]", companies="[NVIDIA]",
                   sources=[{"publisher": "Example News", "url": "https://news.example.com/delta", "title": "D"}]))
    warm = _same_as_cold(config, monkeypatch)
    assert "One of 3 stories" in warm.html("stories/2024/alpha/index.html")


def test_later_pages_rows_follow_rows_per_page_and_titles(tmp_path, monkeypatch):
    """A listing's later pages list rows made once a build from each story: a new rows_per_page
    or a retitled story reaches them through the page keys, warm as cold."""
    stories = {f"2024/s{n}.md": story_text(f"Story {n}", f"2024-01-{n + 1:02d}") for n in range(6)}
    config = make_hub(tmp_path, stories, extra_hub={"per_page": 1, "rows_per_page": 2})
    assert build_hub(config).html("page/2/index.html").count("<li><a ") == 2
    config.write_text(config.read_text().replace("rows_per_page: 2", "rows_per_page: 3"))
    warm = _same_as_cold(config, monkeypatch)
    assert warm.html("page/2/index.html").count("<li><a ") == 3 and not (warm.site / "page/4").exists()
    story = tmp_path / "content" / "stories" / "2024" / "s3.md"
    story.write_text(story.read_text().replace("Story 3", "Story three"))
    warm = _same_as_cold(config, monkeypatch)
    assert "Story three</a>" in warm.html("page/2/index.html")
    assert "Story three</a>" in warm.html("tags/llm/page/2/index.html")
