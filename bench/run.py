#!/usr/bin/env python3
"""Benchmark: build a synthetic hub of N stories with the hub and with plain MkDocs + Material.

    ./dev bench                         # N = 1000, 5000, 10000 into /tmp/hub-bench
    ./dev bench --sizes 1000 --work /tmp/b --no-serve

For every N the script writes a deterministic hub (the same N always gives the same files:
about 150 tags, 300 companies, 3-8 sources from 40 publishers on reserved example domains,
dates over three years, bodies of 400-700 words with headings, lists and [n] citations) and
builds it, each build in a fresh subprocess, timing wall seconds and peak memory: the largest
proportional set size (PSS) of the build and its helper process together, sampled every second
(a page the two share counts half to each, so the sum is the memory the build holds; summing
resident sizes would count the shared pages twice):

- hub:      the repository's mkdocs.yml settings (Material, our hooks, theme_overrides), --strict;
            built once cold (render cache deleted) and once more with nothing changed (warm);
- baseline: the same story files with plain MkDocs and the same Material config (theme,
            features, palette, Markdown extensions, search), no hooks, no theme overrides, no
            stories in the nav (a nav of just the index page);
- serve:    `mkdocs serve --dirty` on the hub (what `./dev serve` runs); once it is up, one
            story is edited and the rebuild time is read from MkDocs' log, then the story page and every listing that shows it are
            fetched to check that the edit is there.

- search:   the cold build's search index (bytes on disk under site-hub/search/, seconds the
            hook logged for indexing, as a share of the cold build); then, in headless Chromium
            on a local server, the home page is opened and three queries are run, each left to
            settle (every result and snippet in): every byte the browser received, and the milliseconds from a query being entered to its first
            results on screen (the first query includes loading the index's manifest). Needs Playwright and
            Debian's chromium (scripts/setup-verify.sh); without them the columns show "-".

Only ratios measured in the same run mean anything on a shared machine (`--repeat 3` runs
three rounds and reports medians); "cpu ratio" compares
the CPU seconds of the two builds, which other load on the machine disturbs less than wall time.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
from statistics import median
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from hub.sitesize import LISTING_PARTS, PARTS, SiteSize, format_size, measure  # the build's own measure (size budget)

ROOT = Path(__file__).resolve().parent.parent

PAGES_LIMIT = 10**9  # GitHub Pages refuses a published site over 1 GB
SOURCE_DATE_EPOCH = "1793491200"  # 2026-11-01T00:00:00Z: every synthetic story is in the past
FIRST_DAY = date(2023, 11, 1)
DAYS = 3 * 365

WORDS = """model models training inference compute data centre chips accelerator cluster benchmark
researchers engineers startup investors funding round valuation regulators policy safety
evaluation release open weights licence developers customers enterprise cloud platform
partnership agreement capacity power grid supply demand revenue quarter growth forecast
language vision audio agents reasoning context window tokens latency cost pricing api
launch preview rollout users market share competition lawsuit copyright privacy rules
parliament commission ministry export controls tariffs semiconductors foundry memory
bandwidth network datacentre cooling energy efficiency hardware software stack framework
library toolkit dataset annotation labelling alignment red-teaming audit transparency report
announcement statement interview executive chief officer board acquisition merger stake
""".split()
VERBS = """said announced reported expected confirmed described released disclosed planned
estimated argued noted warned claimed added explained""".split()
TOPIC_WORDS = """Foundation Open Edge Cloud Robot Chip Policy Safety Vision Speech Agent Data Health
Finance Legal Climate Energy Search Code Education Media Security Privacy Hardware Research
Startup Defence Retail Mobility Science""".split()
TOPIC_SUFFIX = """models systems platforms policy markets research tools chips agents funding
regulation deployment benchmarks infrastructure""".split()
COMPANY_A = """Acme Globex Initech Umbrella Stark Wayne Tyrell Cyberdyne Soylent Hooli Vandelay
Wonka Gringotts Monarch Oscorp Aperture Black Mesa Virtucon Massive Dynamic Pied Piper""".split()
COMPANY_B = """AI Labs Systems Robotics Compute Cloud Networks Dynamics Analytics Intelligence
Semiconductor Research Technologies Data""".split()
PUBLISHER_A = """Daily Weekly Morning Evening Global Digital Tech Silicon Quantum Open Future
Signal Circuit Wire Ledger Chronicle Herald Dispatch Gazette Review""".split()
PUBLISHER_B = ["News", "Times", "Post", "Journal", "Report", "Observer", "Monitor", "Tribune"]
TLDS = ["com", "org", "net"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ----------------------------------------------------------------------------- generation

@dataclass
class Vocabulary:
    tags: list[str]
    companies: list[str]
    publishers: list[tuple[str, str]]  # (name, host)


def vocabulary() -> Vocabulary:
    rnd = random.Random(20261129)
    tags = list(dict.fromkeys(f"{a} {b}" for a in TOPIC_WORDS for b in TOPIC_SUFFIX))
    rnd.shuffle(tags)
    companies = list(dict.fromkeys(f"{a} {b}" for a in COMPANY_A for b in COMPANY_B))
    rnd.shuffle(companies)
    names = list(dict.fromkeys(f"The {a} {b}" for a in PUBLISHER_A for b in PUBLISHER_B))
    rnd.shuffle(names)
    publishers = [(name, f"{_slug(name)}.example.{TLDS[i % 3]}") for i, name in enumerate(names[:40])]
    return Vocabulary(tags[:150], companies[:300], publishers)


def _registry(names: list[str], kind: str, homepage: bool) -> str:
    entries = []
    for name in names:
        entry = {"name": name, "slug": _slug(name),
                 "description": f"Synthetic {kind} {name} for the benchmark."}
        if homepage:
            entry["homepage"] = f"https://{_slug(name)}.example.com/"
        entries.append(entry)
    return yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)


def _pick(rnd: random.Random, items: list, count: int) -> list:
    """Distinct items, skewed toward the front of the list (a few popular names, a long tail)."""
    chosen: dict = {}
    while len(chosen) < count:
        index = min(int(rnd.paretovariate(1.2)) - 1, len(items) - 1)
        chosen.setdefault(items[(index * 7 + rnd.randrange(3)) % len(items)], None)
    return list(chosen)


def _sentence(rnd: random.Random, low: int = 8, high: int = 18) -> str:
    words = rnd.choices(WORDS, k=rnd.randint(low, high))
    words.insert(rnd.randrange(2, len(words)), rnd.choice(VERBS))
    return " ".join(words).capitalize()


def story(i: int, vocab: Vocabulary) -> tuple[str, str]:
    """(relative path under content/, file text) of story number i; deterministic."""
    rnd = random.Random(i * 7919 + 17)
    day = FIRST_DAY + timedelta(days=rnd.randrange(DAYS))
    company = rnd.choice(vocab.companies)
    headline = " ".join(rnd.choices(WORDS, k=rnd.randint(3, 6)))
    title = f"{company} {rnd.choice(VERBS)} {headline}"
    slug = f"{_slug(title)[:60].strip('-')}-{i}"
    tags = _pick(rnd, vocab.tags, rnd.randint(1, 4))
    companies = list(dict.fromkeys([company] + _pick(rnd, vocab.companies, rnd.randint(0, 2))))
    pubs = rnd.sample(vocab.publishers, rnd.randint(3, 8))
    sources = []
    for number, (name, host) in enumerate(pubs, 1):
        sources.append({"publisher": name,
                        "url": f"https://{host}/{day:%Y/%m}/{slug}-{number}",
                        "title": _sentence(rnd, 5, 10)})
    summary = f"{_sentence(rnd)}. {_sentence(rnd)}."
    body = _body(rnd, len(sources))
    front = {"title": title, "date": day, "summary": summary, "tags": tags,
             "companies": companies, "sources": sources}
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=100) + "---\n" + body
    return f"stories/{day.year}/{slug}.md", text


def _body(rnd: random.Random, source_count: int) -> str:
    """400-700 words: paragraphs, two or three headings, a list; every source cited."""
    target = rnd.randint(400, 700)
    uncited = list(range(1, source_count + 1))
    blocks: list[str] = []
    words = 0
    sections = rnd.randint(2, 3)
    listed = False
    while words < target:
        if blocks and len(blocks) % 3 == 0 and sections:
            sections -= 1
            blocks.append("## " + " ".join(rnd.choices(WORDS, k=rnd.randint(2, 4))).capitalize())
        if not listed and len(blocks) > 3:
            listed = True
            items = [f"- {_sentence(rnd, 4, 9)} [{rnd.randint(1, source_count)}]" for _ in range(rnd.randint(3, 5))]
            blocks.append("\n".join(items))
            words += sum(len(item.split()) for item in items)
        sentences = []
        for _ in range(rnd.randint(3, 6)):
            text = _sentence(rnd)
            words += len(text.split())
            if uncited:
                text += f" [{uncited.pop(0)}]"
            elif rnd.random() < 0.4:
                text += f" [{rnd.randint(1, source_count)}]"
            sentences.append(text + ".")
        blocks.append(" ".join(sentences))
    if uncited:
        blocks.append(" ".join(f"{_sentence(rnd)} [{n}]." for n in uncited))
    return "\n\n".join(blocks) + "\n"


def generate(project: Path, count: int) -> list[str]:
    """Write content/ for N stories (replacing any earlier one); return the story paths."""
    vocab = vocabulary()
    docs = project / "content"
    if docs.exists():
        shutil.rmtree(docs)
    (docs / "_registry").mkdir(parents=True)
    (docs / "_registry" / "tags.yml").write_text(_registry(vocab.tags, "topic", False), encoding="utf-8")
    (docs / "_registry" / "companies.yml").write_text(_registry(vocab.companies, "company", True), encoding="utf-8")
    (docs / "index.md").write_text("Synthetic stories for the benchmark.\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nA synthetic hub for the benchmark.\n", encoding="utf-8")
    paths = []
    for i in range(count):
        rel, text = story(i, vocab)
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(rel)
    return paths


def write_configs(project: Path) -> tuple[Path, Path]:
    """hub.yml (the repository's mkdocs.yml, paths made absolute) and baseline.yml."""
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["docs_dir"] = str(project / "content")
    settings["theme"]["custom_dir"] = str(ROOT / "theme_overrides")
    settings["hooks"] = [str(ROOT / hook) for hook in settings.get("hooks", [])]
    settings["watch"] = [str(ROOT / item) for item in settings.get("watch", [])]
    hub = project / "hub.yml"
    hub.write_text(yaml.safe_dump({**settings, "site_dir": str(project / "site-hub")}, sort_keys=False))
    # Plain MkDocs + Material: no hooks, and none of our theme overrides (they need the hooks).
    baseline = {key: value for key, value in settings.items() if key not in ("hooks", "watch", "extra_css")}
    baseline["theme"] = {key: value for key, value in settings["theme"].items() if key != "custom_dir"}
    # The hub makes its own search index instead of Material's search plugin; plain Material has it.
    baseline.update(site_dir=str(project / "site-baseline"), nav=[{"Home": "index.md"}], plugins=["search"],
                    exclude_docs="/_registry/\n", not_in_nav="/stories/\n/about.md\n")
    base = project / "baseline.yml"
    base.write_text(yaml.safe_dump(baseline, sort_keys=False))
    return hub, base


# ----------------------------------------------------------------------------- measuring

@dataclass
class Run:
    seconds: float
    peak_mib: float
    log: str
    cpu: float = 0.0  # user + system seconds of the build process: steadier than wall on a busy machine


def _environ() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "hooks"), env.get("PYTHONPATH", "")]))
    return env


def _tree_pss(pid: int) -> int:
    """PSS bytes of `pid` and all its descendants (Linux /proc; 0 elsewhere)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


class _MemorySampler(threading.Thread):
    """The largest `_tree_pss` of a running build: the build and the helper it forks. Once a
    second: reading a large process's PSS costs the kernel ~15 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.peak = max(self.peak, _tree_pss(self.pid))


def build(config: Path, *, strict: bool, label: str) -> Run:
    """One `mkdocs build` in a fresh subprocess: wall seconds and peak memory of its processes."""
    log_path = config.parent / f"{label}.log"
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)] + (["--strict"] if strict else [])
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=config.parent, stdout=log, stderr=subprocess.STDOUT, env=_environ())
        sampler = _MemorySampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{label} build failed ({config}):\n{text[-4000:]}")
    # Without /proc: wait4's peak resident size of the largest single process.
    peak = (sampler.peak or usage.ru_maxrss * 1024) / 2**20
    return Run(seconds, peak, text, usage.ru_utime + usage.ru_stime)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


@dataclass
class ServeResult:
    first_build: float
    rebuild: float
    edit_seen: bool
    pages_checked: int
    missing: list[str] = field(default_factory=list)


def serve_rebuild(config: Path, story_rel: str, dirty: bool = True, timeout: float = 1800) -> ServeResult:
    """Start `mkdocs serve` (`--dirty`, as `./dev serve` does), edit one story, return the time
    of the rebuild(s) the edit caused, as MkDocs logs it."""
    port = _free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "--dev-addr", f"127.0.0.1:{port}"]
    command += ["--dirty"] if dirty else []
    process = subprocess.Popen(command, cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               env=_environ(), text=True)
    lines: list[str] = []
    built: list[float] = []
    changed = threading.Event()
    serving = threading.Event()
    base = [f"http://127.0.0.1:{port}/"]

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            match = BUILT.search(line)
            if match:
                built.append(float(match.group(1)))
                changed.set()
            if "Serving on" in line:
                base[0] = line.split("Serving on", 1)[1].strip().rstrip("/") + "/"
                serving.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    path = config.parent / "content" / story_rel
    original = path.read_text(encoding="utf-8")
    try:
        if not serving.wait(timeout) or not built:
            raise SystemExit("mkdocs serve did not start:\n" + "".join(lines[-40:]))
        time.sleep(1.0)  # let the watcher settle
        changed.clear()
        mark = f"Edited {time.time_ns()}"
        scratch = config.parent / "edit.tmp"  # outside docs_dir: one file event, not two
        scratch.write_text(original.replace("title: ", f"title: {mark} ", 1), encoding="utf-8")
        os.replace(scratch, path)
        if not changed.wait(timeout) or len(built) < 2:
            raise SystemExit("mkdocs serve did not rebuild:\n" + "".join(lines[-40:]))
        while True:  # a second file event may start another rebuild: wait for quiet, count it too
            finished = len(built)
            time.sleep(3)
            started = sum("Building documentation" in line for line in lines)
            if started <= len(built) == finished:
                break
            while len(built) < started:
                changed.clear()
                if not changed.wait(timeout):
                    raise SystemExit("mkdocs serve did not finish a rebuild:\n" + "".join(lines[-40:]))
        pages = _pages_showing(config, story_rel)
        missing = [url for url in pages if mark not in _fetch(base[0] + url)]
        return ServeResult(built[0], sum(built[1:]), not missing, len(pages), missing)
    finally:
        path.write_text(original, encoding="utf-8")
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(5)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError as exc:
        return f"{url}: {exc}"


def _pages_showing(config: Path, story_rel: str) -> list[str]:
    """URLs of the story page and of page 1 of every listing it is on (it is the newest story)."""
    front = yaml.safe_load((config.parent / "content" / story_rel).read_text(encoding="utf-8").split("---\n")[1])
    slug = Path(story_rel).stem
    day = front["date"]
    urls = [f"stories/{day.year}/{slug}/", "", f"archive/{day.year}/{day.month:02d}/"]
    urls += [f"tags/{_slug(name)}/" for name in front["tags"]]
    urls += [f"companies/{_slug(name)}/" for name in front.get("companies") or []]
    urls += [f"sources/{_slug(source['publisher'])}/" for source in front["sources"]]
    return urls


def newest_story(paths: list[str], project: Path) -> str:
    """The newest story, so it is on page 1 of every listing that includes it."""
    def key(rel: str) -> tuple:
        text = (project / "content" / rel).read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        return front["date"], rel
    return max(paths, key=key)


# "search index: N documents indexed in S s", or "search index: reused, ... (S s)".
INDEXED = re.compile(r"search index: (?:[0-9]+ documents indexed in |reused, [^(]*\()([0-9.]+) s")
QUERIES = ("Acme Robotics", "export controls", "datacentre cooling efficiency")


def index_seconds(run: Run) -> float | None:
    """The indexing time the hook logged in this build."""
    match = INDEXED.search(run.log)
    return float(match.group(1)) if match else None


@dataclass
class SearchResult:
    index_bytes: int
    downloaded: int          # bytes the browser received: home page and three queries
    first_ms: list[float]    # per query, from entering it to its first result on screen
    results: list[int]       # per query, the number of results


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


# In the page: enter a query as one input (as a paste would), resolve with the milliseconds
# until the result list first has an item, and the result count search.js reported.
_QUERY_JS = """async (query) => {
  const input = document.querySelector("[data-hub-search-query]");
  const list = document.querySelector("[data-hub-search-results]");
  list.replaceChildren();
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (list.children.length) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(list, { childList: true });
  });
  input.focus();
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  const end = await Promise.race([shown, new Promise((resolve) => setTimeout(() => resolve(null), 30000))]);
  const status = document.querySelector("[data-hub-search-status]").textContent;
  return [end === null ? null : end - start, parseInt(status, 10) || 0];
}"""


def _settle(page: Any, pending: set[Any], quiet_ms: int = 500, limit_s: float = 30) -> None:
    """Wait until the page has had no request in flight for `quiet_ms` (Playwright's
    "networkidle" load state is reached once per navigation, so it does not wait a second time)."""
    quiet_since, deadline = None, time.monotonic() + limit_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver the request events
        if pending:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_ms / 1000:
            return


def measure_search(site: Path) -> SearchResult | None:
    """Open the built hub's home page in Chromium and run QUERIES (None without a browser)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from playwright.sync_api import sync_playwright
        import verify_site
    except ImportError:
        return None
    if not Path(verify_site.CHROMIUM).exists():
        return None
    finished = []
    first_ms, counts = [], []
    with sync_playwright() as playwright, verify_site.serve(site) as base:
        browser = verify_site._launch(playwright)
        try:
            page = browser.new_page()

            pending: set[Any] = set()

            def listen(request: Any) -> None:  # a function: Playwright sets an attribute on it
                finished.append(request)
                pending.discard(request)

            page.on("request", lambda request: pending.add(request))
            page.on("requestfinished", listen)
            page.on("requestfailed", lambda request: pending.discard(request))
            page.goto(base, wait_until="networkidle")
            for query in QUERIES:
                ms, count = page.evaluate(_QUERY_JS, query)
                first_ms.append(ms if ms is not None else float("inf"))
                counts.append(count)
                _settle(page, pending)  # all ten results and their snippets, as a reader waits for them
            page.remove_listener("requestfinished", listen)
            # Sizes are read here, while the page is open (read in the listener, a request that
            # finished as the browser closed raised in Playwright's event loop).
            received = sum(request.sizes()["responseBodySize"] for request in finished)
        finally:
            browser.close()
    return SearchResult(folder_bytes(site / "search"), received, first_ms, counts)


# ----------------------------------------------------------------------------- report

COLUMNS = ["N", "hub s", "baseline s", "ratio", "cpu ratio", "stories/s", "peak MiB", "base MiB",
           "serve full s", "serve rebuild s", "rebuild %", "warm s", "warm %",
           "index MB", "search KB", "first results ms", "index s cold/warm", "index %"]


def _row(values: list[str]) -> str:
    return "| " + " | ".join(values) + " |"


def _median_run(runs: list[Run | None]) -> Run | None:
    """Median seconds and CPU, largest peak memory, of one kind of build over the rounds."""
    if runs[0] is None:
        return None
    done = [run for run in runs if run is not None]
    return Run(median(r.seconds for r in done), max(r.peak_mib for r in done), done[-1].log,
               median(r.cpu for r in done))


def _search_values(search: SearchResult | None, hub: Run, warm: Run | None) -> list[str]:
    """The search columns: index size, browser bytes, first results per query, indexing time."""
    cold_index = index_seconds(hub)
    warm_index = index_seconds(warm) if warm else None
    values = [f"{search.index_bytes / 1e6:.1f}", f"{search.downloaded / 1e3:.0f}",
              " / ".join(f"{ms:.0f}" for ms in search.first_ms)] if search else ["-", "-", "-"]
    values.append(f"{cold_index:.1f}" + (f" / {warm_index:.1f}" if warm_index is not None else "")
                  if cold_index is not None else "-")
    values.append(f"{100 * cold_index / hub.seconds:.1f}%" if cold_index is not None else "-")
    return values


def reaches_limit(sizes: dict[int, SiteSize], limit: int = PAGES_LIMIT) -> str:
    """The story count at which the site reaches `limit`, by a straight line through the two
    largest N (through zero with only one N); "never" if it does not grow."""
    counts = sorted(sizes)[-2:]
    if len(counts) == 1:
        counts = [0, counts[0]]
    (n1, n2), (s1, s2) = counts, [sizes[n].total if n else 0 for n in counts]
    if s2 <= s1:
        return "never (the site does not grow with N)"
    at = n2 + (limit - s2) * (n2 - n1) / (s2 - s1)
    basis = f"from N = {n1:,} and {n2:,}" if n1 else f"from N = {n2:,}, proportionally"
    return f"about {at:,.0f} stories ({basis})"


def size_report(sizes: dict[int, SiteSize]) -> list[str]:
    """Markdown table of the hub site's bytes by part and per story, and where it reaches 1 GB."""
    parts = [part for part in PARTS if any(size.parts[part] for size in sizes.values())]
    lines = [_row(["N", "site", "per story", *parts]), _row(["---"] * (len(parts) + 3))]
    for count, size in sorted(sizes.items()):
        lines.append(_row([str(count), format_size(size.total), format_size(size.total // count),
                           *(format_size(size.parts[part]) for part in parts)]))
    lines.append(f"The site would reach {format_size(PAGES_LIMIT)} (GitHub Pages' limit) at {reaches_limit(sizes)}.")
    lines += ["", _row(["N", "story page", "listing page", "HTML per story"]), _row(["---"] * 4)]
    for count, size in sorted(sizes.items()):
        html = sum(size.parts[part] for part in ("story pages", *LISTING_PARTS))
        lines.append(_row([str(count), format_size(size.page_average(("story pages",))),
                           format_size(size.page_average(LISTING_PARTS)), format_size(html // count)]))
    return lines


SEARCH_ONLY_COLUMNS = ["N", "index MB", "search KB", "first results ms", "results", "index s"]


def search_only(work: Path, count: int) -> list[str]:
    """The search columns at `count` stories without building their pages: the index is made
    from the loaded stories by the build's own code (hub.searchindex.write_index, timed alone)
    into the site of a built 100-story hub, whose home page is the one opened (its size does
    not grow with the hub)."""
    from hub.catalogue import build_catalogue
    from hub.loader import load_hub
    from hub.searchindex import Sources, write_index
    from hub.settings import HubSettings
    small = work / "search-page"
    small.mkdir(parents=True, exist_ok=True)
    generate(small, 100)
    build(write_configs(small)[0], strict=True, label="hub")
    project = work / f"n{count}"
    project.mkdir(parents=True, exist_ok=True)
    paths = generate(project, count)
    loaded = load_hub(project / "content", paths, HubSettings())
    catalogue = build_catalogue(loaded.stories, loaded.registries["tag"], loaded.registries["company"], None,
                                include_unpublished=False)
    report = write_index(small / "site-hub", Sources(catalogue))
    search = measure_search(small / "site-hub")
    if search is None:
        return [str(count), "-", "-", "-", "-", f"{report.seconds:.1f}"]
    return [str(count), f"{search.index_bytes / 1e6:.1f}", f"{search.downloaded / 1e3:.0f}",
            " / ".join(f"{ms:.0f}" for ms in search.first_ms), " / ".join(map(str, search.results)),
            f"{report.seconds:.1f}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000", help="comma-separated story counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/hub-bench"),
                        help="scratch folder (one sub-folder per N); default /tmp/hub-bench")
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` edit test")
    parser.add_argument("--no-warm", action="store_true", help="skip the repeated (warm) build")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain MkDocs build")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of cold hub, baseline and warm hub builds per N; the table gives "
                             "medians (ratios are medians of each round's ratio) and the largest peak")
    parser.add_argument("--search-only", action="store_true",
                        help="only the search columns, from an index of N stories made without building "
                             "their pages (minutes at 10,000 instead of an hour of builds)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    work = args.work.resolve()
    if work == ROOT or ROOT in work.parents:
        parser.error("--work must be outside the repository")
    if args.search_only:
        print(_row(SEARCH_ONLY_COLUMNS))
        print(_row(["---"] * len(SEARCH_ONLY_COLUMNS)), flush=True)
        for count in sizes:
            print(_row(search_only(work, count)), flush=True)
        return 0
    print(f"hub benchmark: sizes {sizes}, work folder {work}, {os.cpu_count()} CPUs; "
          "wall seconds and peak memory (PSS, build and helper) of fresh `mkdocs build` subprocesses", flush=True)
    print(_row(COLUMNS))
    print(_row(["---"] * len(COLUMNS)), flush=True)
    site_sizes: dict[int, SiteSize] = {}
    for count in sizes:
        project = work / f"n{count}"
        project.mkdir(parents=True, exist_ok=True)
        paths = generate(project, count)
        hub_config, base_config = write_configs(project)
        rounds = []
        for _ in range(max(1, args.repeat)):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            hub = build(hub_config, strict=True, label="hub")
            base = None if args.no_baseline else build(base_config, strict=False, label="baseline")
            warm = None if args.no_warm else build(hub_config, strict=True, label="hub-warm")
            rounds.append((hub, base, warm))
        hub, base, warm = (_median_run([r[i] for r in rounds]) for i in range(3))
        ratio = median(r[0].seconds / r[1].seconds for r in rounds) if base else 0.0
        cpu_ratio = median(r[0].cpu / r[1].cpu for r in rounds) if base else 0.0
        warm_share = median(r[2].seconds / r[0].seconds for r in rounds) if warm else 0.0
        site_sizes[count] = measure(project / "site-hub")
        served = None
        if not args.no_serve:
            served = serve_rebuild(hub_config, newest_story(paths, project))
        values = [str(count), f"{hub.seconds:.1f}", f"{base.seconds:.1f}" if base else "-",
                  f"{ratio:.2f}" if base else "-",
                  f"{cpu_ratio:.2f}" if base else "-", f"{count / hub.seconds:.0f}",
                  f"{hub.peak_mib:.0f}", f"{base.peak_mib:.0f}" if base else "-"]
        if served:
            values += [f"{served.first_build:.1f}", f"{served.rebuild:.1f}",
                       f"{100 * served.rebuild / served.first_build:.0f}%"
                       + ("" if served.edit_seen else " (EDIT MISSING)")]
        else:
            values += ["-", "-", "-"]
        values += [f"{warm.seconds:.1f}", f"{100 * warm_share:.0f}%"] if warm else ["-", "-"]
        values += _search_values(measure_search(project / "site-hub"), hub, warm)
        print(_row(values), flush=True)
        if served and not served.edit_seen:
            print(f"  edit not shown on: {', '.join(served.missing)}", flush=True)
        if not args.keep:
            for name in ("site-hub", "site-baseline"):
                shutil.rmtree(project / name, ignore_errors=True)
    print("\nBytes of the hub's site by part (file sizes, decimal units):")
    print("\n".join(size_report(site_sizes)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
