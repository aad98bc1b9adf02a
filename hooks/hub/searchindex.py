"""The site's search index, built from the published catalogue into `search/` (no HTML read).

The browser (theme_overrides/assets/javascripts/search.js) fetches nothing until the search box
opens, then the small manifest, then per query only the term shards holding the typed words and,
for the ten results shown, one file each. So a reader's download does not grow with the hub:

- `manifest.bin`: the first term of every shard, the filter menus (topic, company, publisher,
  year, each value with its story count) and the index's version (appended to every other
  file's address, so no browser mixes two builds' files).
- `terms/<n>.bin`: terms sorted (UTF-16 order, JavaScript's `<`), each with its postings: doc
  ids as varint deltas (their byte length first, so a reader skips the terms it does not need)
  and a quantised BM25 weight (1-255) per doc, so the client ranks by summing. A filter value is a term too (`#topic:3` is topic 3 of the manifest; `#` is never
  in a word), and a filter is an intersection with its postings.
- `doc/<id>.bin`: a result's address, kind, title, date, publishers and text for its snippet. A
  story's file holds only its summary: its whole text is on its own page, which search.js fetches
  for the snippet (the page the reader is about to open, so it is then in the browser's cache).
  Keeping every story's text a second time made the index 1.7 KB a story (18 MB of 10,000).
Every file is gzip (mtime 0) of JSON or of the binary above; the client inflates it with
DecompressionStream, so a plain static server sends a third of the bytes.

Stories come first, newest first, so equal scores list the newest story first. A topic,
company or publisher page is found by its name, aliases and description, with a boost: typing
"nvidia" offers the NVIDIA page before the stories about it. Drafts and scheduled stories are
not in the published catalogue, so never in any index, even in `serve`.

An index is a function of its sources (the stories as loaded, the registries, this code): a build
whose sources equal the last build's reuses that index from `.cache/hub/search/<key>/` (hard
links), so a warm build writes the same bytes without indexing again; `serve` re-indexes after
an edit.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import shutil
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hub.catalogue import Catalogue, publisher_slug
from hub.dates import display_day
from hub.paths import doc_url
from hub import kinds, searchtext, subjects as subjects_module
from hub.kinds import COMPANY, PUBLISHER, TAG
from hub.subjects import subjects
from hub.searchtext import markdown_text, tokens

FOLDER = "search"
SUMS = "sums.json"  # in a stored index: every file's SHA-256, checked before the index is reused
FORMAT = "hub-search-2"  # part of the cache key: change it when the files change form
SHARD_BYTES = 16_000  # raw bytes of postings per term shard, before gzip (one long term may exceed)
K1, B = 1.2, 0.75  # BM25
TITLE_REPEAT = 3  # a title's words count as often as this
LISTING_BOOST = 1.6  # a topic, company or publisher page over the stories that name it
FACETS = ("topic", "company", "publisher", "year")
# Material copies its search (lunr in 20 languages and its worker, ~1 MB) into every site; the
# hub's pages never load it (partials/search.html wakes no Material search component).
MATERIAL_SEARCH = ("assets/javascripts/lunr", "assets/javascripts/workers")


@dataclass(frozen=True)
class Document:
    url: str  # from the site root: "stories/2024/x/"
    kind: str  # Story, Topic, Company, Publisher, Page
    title: str
    text: str  # what is indexed, and what its snippet is cut from unless `stored` is given
    words: str  # what is indexed besides the title and text (names, aliases)
    date: str = ""
    publishers: str = ""
    facets: tuple[str, ...] = ()  # "#topic:3", ...
    stored: str | None = None  # the text its doc file keeps when its page has the whole of it

    def record(self) -> list[str]:
        return [self.url, self.kind, self.title, self.date, self.publishers,
                self.text if self.stored is None else self.stored]


@dataclass(frozen=True)
class Corpus:
    documents: list[Document]
    facets: dict[str, list[tuple[str, int]]]  # kind -> [(value, stories)], in menu order


@dataclass(frozen=True)
class Sources:
    """What an index is made from: the published catalogue and the hand-written pages (doc
    path, title, text)."""

    catalogue: Catalogue
    pages: tuple[tuple[str, str, str], ...] = ()
    use_directory_urls: bool = True

    def key(self) -> str:
        """A digest of everything the index is made from, this code included, read from the
        stories as loaded (hashing them is far cheaper than making their text)."""
        digest = hashlib.sha256(f"{FORMAT} unicode {unicodedata.unidata_version}".encode())  # NFKD, letters
        for module in (__file__, searchtext.__file__, kinds.__file__, subjects_module.__file__):
            digest.update(Path(module).read_bytes())
        catalogue = self.catalogue
        digest.update(_json([self.use_directory_urls, self.pages, sorted(catalogue.publishers)]))
        for registry in (catalogue.tags, catalogue.companies):
            digest.update(_json([[t.name, t.slug, t.description, t.aliases] for t in registry.terms]))
        for story in catalogue.stories:
            digest.update(_json([story.doc_path, story.title, story.summary, story.date.isoformat(),
                                 [t.slug for t in story.tags], [c.slug for c in story.companies],
                                 [source.publisher for source in story.sources], len(story.body)]))
            digest.update(story.body.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


def corpus(sources: Sources) -> Corpus:
    """The published catalogue's stories, its topic, company and publisher pages, and the
    hand-written pages as search documents."""
    catalogue, pages, use_directory_urls = sources.catalogue, sources.pages, sources.use_directory_urls

    def url(doc_path: str) -> str:
        return doc_url(doc_path, use_directory_urls)

    # Topics, companies and publishers as their directories list them; a menu lists them by name.
    listed = {kind.singular.lower(): subjects(catalogue, kind, "") for kind in (TAG, COMPANY, PUBLISHER)}
    years = Counter(story.date.year for story in catalogue.stories)
    facets = {key: sorted(((s.name, len(s.stories)) for s in rows), key=lambda row: row[0].casefold())
              for key, rows in listed.items()}
    facets["year"] = [(str(year), years[year]) for year in sorted(years, reverse=True)]
    number = {kind: {name: i for i, (name, _) in enumerate(values)} for kind, values in facets.items()}
    slug_number = {key: {s.slug: number[key][s.name] for s in rows} for key, rows in listed.items()}
    cited = {s.publisher for story in catalogue.stories for s in story.sources if s.publisher}
    publisher_number = {name: slug_number["publisher"][publisher_slug(name)] for name in cited}
    documents = []
    for story in catalogue.stories:
        own = [f"#topic:{slug_number['topic'][t.slug]}" for t in story.tags if t.slug in slug_number["topic"]]
        own += [f"#company:{slug_number['company'][c.slug]}" for c in story.companies
                if c.slug in slug_number["company"]]
        own += [f"#publisher:{i}" for i in sorted({publisher_number[s.publisher] for s in story.sources if s.publisher})]
        own.append(f"#year:{number['year'][str(story.date.year)]}")
        names = [t.name for t in story.tags] + [c.name for c in story.companies] + story.publishers
        documents.append(Document(url(story.doc_path), "Story", story.title,
                                  f"{story.summary} {markdown_text(story.body)}".strip(), " ".join(names),
                                  display_day(story.date), ", ".join(story.publishers), tuple(own),
                                  stored=story.summary))
    for rows in listed.values():  # each subject's page, labelled as its kind declares
        for subject in rows:
            term = subject.term
            also = f"Also known as {', '.join(term.aliases)}." if term and term.aliases else ""
            text = " ".join(part for part in (term.description if term else "", also) if part)
            documents.append(Document(url(subject.page_path), subject.kind.singular, subject.name, text,
                                      " ".join((subject.name, *(term.aliases if term else ())))))
    for doc_path, title, text in sorted(pages):
        documents.append(Document(url(doc_path), "Page", title, text, ""))
    return Corpus(documents, facets)


@dataclass(frozen=True)
class IndexReport:
    documents: int
    seconds: float
    reused: bool = False
    dropped: bool = False  # a stored index was damaged and made again


def index_files(built: Corpus) -> dict[str, bytes]:
    """Every file of the index by its path under `search/`, gzip-compressed, reproducibly."""
    documents = built.documents
    postings: dict[str, tuple[array, array]] = {}  # term -> (doc ids, term counts): arrays, not objects
    lengths = array("I")
    boosts = array("d")
    for number, document in enumerate(documents):
        words = tokens(document.title) * TITLE_REPEAT + tokens(document.words) + tokens(document.text)
        if document.kind in ("Topic", "Company", "Publisher"):
            words += tokens(document.words) * (TITLE_REPEAT - 1)
        lengths.append(len(words))
        boosts.append(LISTING_BOOST if document.kind in ("Topic", "Company", "Publisher") else 1.0)
        for term, count in Counter(words).items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = (array("I"), array("I"))
            entry[0].append(number)
            entry[1].append(count)
        for facet in document.facets:
            entry = postings.setdefault(facet, (array("I"), array("I")))
            entry[0].append(number)
            entry[1].append(0)
    total = len(documents)
    average = (sum(lengths) / total) if total else 1.0
    norms = [K1 * (1 - B + B * length / average) for length in lengths]
    ceiling = math.log(1 + (total - 0.5) / 1.5) * (K1 + 1) * LISTING_BOOST if total else 1.0

    def weights(term: str, ids: array, counts: array) -> bytes:
        if term.startswith("#"):
            return bytes(len(ids))
        idf = math.log(1 + (total - len(ids) + 0.5) / (len(ids) + 0.5))
        scale = 255 * idf * (K1 + 1) / ceiling
        ceil = math.ceil
        # At most 255: idf <= the ceiling's idf (df >= 1), tf / (tf + norm) < 1, boost <= its boost.
        return bytes([ceil(scale * tf / (tf + norms[d]) * boosts[d]) for d, tf in zip(ids, counts)])

    files: dict[str, bytes] = {}
    firsts: list[str] = []
    shard = bytearray()
    for term in sorted(postings, key=_utf16):
        ids, counts = postings[term]
        name = term.encode("utf-8")
        entry = bytearray(_varint(len(name)) + name + _varint(len(ids)))
        deltas = [doc - previous for doc, previous in zip(ids, [0, *ids])]
        packed = bytes(deltas) if max(deltas) < 0x80 else b"".join(map(_varint, deltas))
        entry += _varint(len(packed)) + packed + weights(term, ids, counts)
        if shard and len(shard) + len(entry) > SHARD_BYTES:
            files[f"terms/{len(firsts) - 1}.bin"] = _gzip(bytes(shard))
            shard = bytearray()
        if not shard:
            firsts.append(term)
        shard += entry
    if shard:
        files[f"terms/{len(firsts) - 1}.bin"] = _gzip(bytes(shard))
    for number, document in enumerate(documents):
        files[f"doc/{number}.bin"] = _gzip(_json(document.record()))
    version = hashlib.sha256()
    for path in sorted(files):
        version.update(path.encode() + b"\0" + files[path])
    manifest = {"version": version.hexdigest()[:16], "documents": total, "shards": firsts,
                "facets": {kind: built.facets.get(kind, []) for kind in FACETS}}
    files["manifest.bin"] = _gzip(_json(manifest))
    return files


def _utf16(term: str) -> bytes:
    return term.encode("utf-16-be")


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def write_index(site_dir: Path, sources: Sources, cache_folder: Path | None = None) -> IndexReport:
    """Write `site_dir/search/`, replacing any earlier index; with a `cache_folder`, an index
    made from the same sources is reused from there."""
    start = time.perf_counter()
    bundle = site_dir / FOLDER
    cache = IndexCache(cache_folder, sources.key()) if cache_folder is not None else None
    restored = cache.restore(bundle) if cache is not None else False
    if restored:
        return IndexReport(len(sources.catalogue.stories), time.perf_counter() - start, reused=True)
    built = corpus(sources)
    files = index_files(built)
    shutil.rmtree(bundle, ignore_errors=True)  # no file of an earlier index stays
    for folder in sorted({str(Path(path).parent) for path in files}):
        (bundle / folder).mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        (bundle / path).write_bytes(data)
    if cache is not None:
        cache.store(bundle)
    return IndexReport(len(built.documents), time.perf_counter() - start, dropped=restored is None)


def index_site(site_dir: Path, sources: Sources, cache_folder: Path | None,
               info: Callable[[str], None], error: Callable[[str], None]) -> None:
    """What the build runs once every page is written: index, then say how it went. Material's
    own search files, which no page uses, are taken out of the site."""
    for folder in MATERIAL_SEARCH:
        shutil.rmtree(site_dir / folder, ignore_errors=True)
    try:
        report = write_index(site_dir, sources, cache_folder)
    except OSError as problem:
        error(f"search index: could not write {site_dir / FOLDER} ({problem}): check the disk and permissions")
        return
    if report.reused:
        info(f"search index: reused, its {report.documents} stories unchanged ({report.seconds:.2f} s)")
    else:
        again = " (the stored index was damaged: dropped and made again)" if report.dropped else ""
        info(f"search index: {report.documents} documents indexed in {report.seconds:.2f} s{again}")


@dataclass(frozen=True)
class IndexCache:
    """The last index made, in `folder/<key>/`. Files are hard-linked where the file system
    allows (a build deletes the site's files, never rewrites one in place), else copied."""

    folder: Path
    key: str

    def restore(self, bundle: Path) -> bool | None:
        """Put the stored index into `bundle`: True if done, False if there is none, None if
        it was damaged (a file changed, missing or added since it was stored: dropped)."""
        stored = self.folder / self.key
        if not stored.is_dir():
            return False
        try:
            sums = json.loads((stored / SUMS).read_text(encoding="utf-8"))
            intact = isinstance(sums, dict) and sums == _sums(stored)
        except (OSError, ValueError):
            intact = False
        if not intact:
            shutil.rmtree(stored, ignore_errors=True)
            return None
        shutil.rmtree(bundle, ignore_errors=True)
        try:
            shutil.copytree(stored, bundle, copy_function=_link_or_copy, ignore=shutil.ignore_patterns(SUMS))
        except OSError:
            shutil.rmtree(bundle, ignore_errors=True)
            return False
        return True

    def store(self, bundle: Path) -> None:
        partial = self.folder / f"{self.key}.{os.getpid()}.partial"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(bundle, partial, copy_function=_link_or_copy)
            (partial / SUMS).write_text(json.dumps(_sums(partial), sort_keys=True), encoding="utf-8")
            shutil.rmtree(self.folder / self.key, ignore_errors=True)
            os.replace(partial, self.folder / self.key)
            for other in self.folder.iterdir():  # only the newest index is kept, and no partial copy
                if other.name != self.key:  # a build that stopped half-way left behind
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # a cache that cannot be written is skipped


def _sums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file of an index folder but the sums file itself, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != SUMS}


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
