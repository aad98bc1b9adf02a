"""The build time (hub.clock) fails safe and follows the editor's working tree."""
from __future__ import annotations

import subprocess
from datetime import datetime, timezone

from hub.clock import build_time
from hubsite import build_hub, make_hub, story_text

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


def _git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=folder,
                   check=True, capture_output=True, env={"GIT_COMMITTER_DATE": "2024-06-01T00:00:00Z",
                                                         "GIT_AUTHOR_DATE": "2024-06-01T00:00:00Z", "PATH": "/usr/bin:/bin"})


def test_source_date_epoch_comes_first(tmp_path):
    when = build_time(tmp_path, {"SOURCE_DATE_EPOCH": "1735689600"}, tmp_path, NOON)
    assert when.time == datetime(2025, 1, 1, tzinfo=timezone.utc) and when.reason == ""


def test_without_a_commit_time_the_build_time_is_now(tmp_path):
    when = build_time(tmp_path, {}, tmp_path / "content", NOON)  # not a git checkout
    assert when.time == NOON and "no commit time" in when.reason


def test_uncommitted_content_makes_the_build_time_now_but_not_in_ci(tmp_path):
    docs = tmp_path / "content"
    docs.mkdir()
    (docs / "a.md").write_text("a\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "first")
    committed = datetime(2024, 6, 1, tzinfo=timezone.utc)
    assert build_time(tmp_path, {}, docs, NOON).time == committed  # a clean tree
    (tmp_path / "notes.txt").write_text("outside the docs folder\n")
    assert build_time(tmp_path, {}, docs, NOON).time == committed
    (docs / "today.md").write_text("today's story\n")
    when = build_time(tmp_path, {}, docs, NOON)
    assert when.time == NOON and "uncommitted changes under content/" in when.reason
    assert build_time(tmp_path, {"CI": "true"}, docs, NOON).time == committed


def test_a_scheduled_story_stays_unpublished_when_git_gives_no_time(tmp_path):
    config = make_hub(tmp_path, {"2024/now.md": story_text("Published story", "2024-05-01"),
                                 "2099/later.md": story_text("Scheduled story", "2099-01-01")})
    result = build_hub(config, source_date_epoch=None)
    assert result.aborted is None
    assert not (result.site / "stories" / "2099").exists()
    assert "Scheduled story" not in result.html("feeds/feed.json")
    assert "Published story" in result.html("index.html")
    assert any("no commit time" in message for message in result.messages("INFO"))
