"""The forked helper process (hooks/hub_worker.py): a build that shares its pages with it writes
the same site and the same log as one that renders every page itself, also when the helper
fails part-way, and the helper's own warnings still fail a strict build."""
from __future__ import annotations

import os
import shutil

import pytest

from hub_speed import worker as hub_worker
from hubsite import ROOT, build_hub, make_hub, story_text

pytestmark = pytest.mark.speed_layer  # tests of the speed layer: it stays on under HUB_SPEED=0

BODY = "Intro [1].\n\n## First part\n\nMore [2], see [the other part](#second-part).\n\n## Second part\n\nEnd [1]."


def _hub(tmp_path, body: str = BODY):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme_overrides", theme)
    sources = lambda n: [{"publisher": "Example News", "url": f"https://news.example.com/{n}", "title": "One"},
               {"publisher": "Other Wire", "url": f"https://wire.example.net/{n}", "title": "Two"}]
    stories = {f"2024/story-{day}.md": story_text(f"Story {day}", f"2024-0{1 + day % 4}-{day:02d}",
                                                  sources=sources(day), body=body,
                                                  tags="[LLM, Regulation]" if day % 2 else "[LLM]")
               for day in range(1, 13)}
    config = {"theme": {"name": "material", "custom_dir": str(theme), "font": False}}
    return make_hub(tmp_path, stories, extra_hub={"per_page": 3}, config=config)


def _site(result):
    return {str(p.relative_to(result.site)): p.read_bytes() for p in sorted(result.site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


def _log(result):
    """The log but for counts that depend on who rendered what, and the build time."""
    varying = ("helper process:", "page frames:", "Documentation built in", "search index:")
    return [entry for entry in result.log if not any(text in entry[1] for text in varying)]


def _helped(result, what="rendered"):
    """Pages the helper rendered (or, with what="wrote", page files it wrote)."""
    lines = [m for m in result.messages("INFO") if "helper process: rendered" in m]
    return int(lines[0].split(what + " ")[1].split()[0]) if lines else 0


@pytest.fixture
def serial_and_helped(tmp_path, monkeypatch):
    """Build the hub without the helper, then (cache emptied) with it: both results, each with
    the files it wrote (both write to the same site/)."""
    monkeypatch.setattr(hub_worker, "MIN_PAGES", 1)
    monkeypatch.setattr(hub_worker, "MIN_JOB", 1)  # and it writes the feeds but the hub feed

    def build(config, **kwargs):
        monkeypatch.setenv("HUB_WORKERS", "0")
        serial = build_hub(config, **kwargs)
        serial_site = _site(serial)
        shutil.rmtree(config.parent / ".cache")
        monkeypatch.delenv("HUB_WORKERS")
        helped = build_hub(config, **kwargs)
        return (serial, serial_site), (helped, _site(helped))

    return build


def test_split_share_spreads_the_pages_evenly():
    uris = [f"p{i}" for i in range(20)]
    assert hub_worker.split_share(uris, 0.5) == uris[1::2]
    share = hub_worker.split_share(uris, 0.55)
    assert len(share) == 11 and all(abs(uris.index(a) - uris.index(b)) <= 2 for a, b in zip(share, share[1:]))


def test_a_helped_build_writes_the_same_site_and_log(tmp_path, monkeypatch, serial_and_helped):
    (serial, serial_site), (helped, helped_site) = serial_and_helped(_hub(tmp_path))
    assert serial.aborted is None and serial.messages() == [] and _helped(serial) == 0
    assert _helped(helped) > 10  # stories and listings came from the helper
    assert helped_site == serial_site  # search index, sitemap and feeds included
    assert _log(helped) == _log(serial)
    warm = build_hub(tmp_path / "mkdocs.yml")  # the helper's pages went into the render cache
    assert _helped(warm) == 0 and _site(warm) == serial_site
    assert _helped(warm, "wrote") > 10  # it copied its share of finished pages out of the cache
    [reused] = [m.split("render cache: ")[1].split() for m in warm.messages("INFO") if "render cache: " in m]
    assert reused[0] == reused[2] != "0"  # every page, also those the helper stored
    # The feeds the helper made (cold) and reused (warm) stayed in the cache: a build without
    # the helper makes no feed entry.
    import hub.feeds
    made, real = [], hub.feeds.make_entry
    monkeypatch.setattr(hub.feeds, "make_entry", lambda *a: made.append(a) or real(*a))
    monkeypatch.setenv("HUB_WORKERS", "0")
    assert _site(build_hub(tmp_path / "mkdocs.yml")) == serial_site and made == []
    assert not list((tmp_path / ".cache" / "hub").glob("helper-*"))  # side files taken in


@pytest.mark.parametrize("stage", ["populate_page", "render_page", "write_file"])
def test_a_helper_that_fails_part_way_leaves_the_rest_to_the_main_process(tmp_path, monkeypatch,
                                                                         serial_and_helped, stage):
    real = getattr(hub_worker, stage)
    calls = []

    def failing(*args, **kwargs):  # runs in the helper: fails on its fifth page
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("helper breaks")
        return real(*args, **kwargs)

    monkeypatch.setattr(hub_worker, stage, failing)
    (serial, serial_site), (helped, helped_site) = serial_and_helped(_hub(tmp_path))
    # Failing while reading: pages it had read are finished here (the search index too); failing
    # while rendering templates or writing files: the pages it had finished are used, the rest
    # rendered and written here.
    assert _helped(helped) == 0 if stage == "populate_page" else 0 < _helped(helped) < 20
    assert helped_site == serial_site
    assert _log(helped) == _log(serial)


def test_a_warm_helper_that_fails_copying_pages_leaves_them_to_the_main_process(tmp_path, monkeypatch,
                                                                               serial_and_helped):
    (serial, serial_site), _ = serial_and_helped(_hub(tmp_path))
    real, main_process, calls = hub_worker.write_file, os.getpid(), []

    def failing(*args):
        if os.getpid() != main_process:
            calls.append(1)
            if len(calls) == 4:
                raise OSError("disk full")
        return real(*args)

    monkeypatch.setattr(hub_worker, "write_file", failing)
    warm = build_hub(tmp_path / "mkdocs.yml")
    assert _helped(warm, "wrote") == 3 and warm.aborted is None
    assert _site(warm) == serial_site
    def without_cache_count(result):
        return [entry for entry in _log(result) if "render cache:" not in entry[1]]

    assert without_cache_count(warm) == without_cache_count(serial)  # no "Page skipped" either


def test_a_helper_that_fails_in_its_job_leaves_the_job_to_the_main_process(tmp_path, monkeypatch,
                                                                         serial_and_helped):
    import hub.feeds

    real, main_process = hub.feeds.make_entry, os.getpid()

    def failing(*args):
        if os.getpid() != main_process:
            raise RuntimeError("helper breaks in its job")
        return real(*args)

    monkeypatch.setattr(hub.feeds, "make_entry", failing)
    (serial, serial_site), (helped, helped_site) = serial_and_helped(_hub(tmp_path))
    assert _helped(helped) > 10 and helped.aborted is None
    assert helped_site == serial_site
    assert _log(helped) == _log(serial)


def test_the_helpers_warnings_are_reported_and_fail_a_strict_build(tmp_path, serial_and_helped):
    config = _hub(tmp_path, BODY + "\n\nSee [this](../../missing.md).")  # every story warns
    (serial, _), (helped, _) = serial_and_helped(config, strict=False)
    assert len([m for m in serial.messages("WARNING") if "missing.md" in m]) == 12
    assert _helped(helped) > 5  # some of the warnings were the helper's
    assert _log(helped) == _log(serial)  # each at its page's place
    shutil.rmtree(tmp_path / ".cache")
    strict = build_hub(config)
    assert _helped(strict) > 5 and strict.aborted == "Aborted with 12 warnings in strict mode!"


def test_a_later_build_without_the_helper_reports_none(tmp_path, serial_and_helped):
    """`serve` in the same process after a helped build: no helper figures, no filtered lines."""
    _, (helped, _) = serial_and_helped(_hub(tmp_path))
    assert _helped(helped) > 10
    served = build_hub(tmp_path / "mkdocs.yml", serve=True)
    assert served.aborted is None
    assert not [m for m in served.messages("INFO") if "helper process" in m]


def test_a_forked_helper_ends_when_its_build_is_killed(tmp_path):
    """The helper (and the folder-emptying process) call die_with_parent right after fork."""
    import subprocess
    import sys
    import time
    script = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT / 'hooks')!r})
from hub_speed.forking import die_with_parent
parent = os.getpid()
pid = os.fork()
if pid == 0:
    die_with_parent(parent)
    time.sleep(60)
    os._exit(0)
print(pid, flush=True)
time.sleep(0.5)
os.kill(os.getpid(), 9)  # the build is killed
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    child = int(done.stdout.split()[0])
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            state = open(f"/proc/{child}/status").read()
        except FileNotFoundError:
            return  # gone
        if "\nState:\tZ" in state:
            return  # dead, waiting for init to reap it
        time.sleep(0.1)
    raise AssertionError("the forked child outlived its killed parent")
