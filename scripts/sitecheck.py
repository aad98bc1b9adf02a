"""Checks over a built site that need nothing but Python: links and anchors, unsafe markup,
requests to other hosts. Used by scripts/verify_site.py and by the tests.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes whose value the browser treats as a URL (fetches it or navigates to it).
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "cite",
                  "ping", "srcset", "xlink:href", "codebase", "archive", "longdesc", "manifest",
                  "icon", "lowsrc", "dynsrc"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# Elements no page of ours should contain: they run code, load other documents, or redirect.
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
                      "portal", "fencedframe", "xss"}
# <link rel=...> values that make the browser fetch the href.
FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                 "preconnect", "dns-prefetch", "modulepreload", "manifest", "prerender"}
# Elements whose src (or data) is fetched when the page loads.
FETCHING_ELEMENTS = {"script", "img", "iframe", "frame", "embed", "video", "audio", "source",
                     "track", "input", "object"}


def url_scheme_of(value: str) -> str:
    """The scheme a browser would see: control characters and whitespace dropped, lowercased."""
    cleaned = "".join(ch for ch in value if ord(ch) > 32 and ch not in "\x7f").lower()
    match = re.match(r"[a-z][a-z0-9+.\-]*:", cleaned)
    return match.group(0) if match else ""


def normalise_script(text: str) -> str:
    """Material's inline scripts differ from page to page only in the path to the site root
    (`.`, `../..`, or `/` on 404.html): reduce each to `.` so pages compare."""
    text = re.sub(r"(?:\.\./)+", "", text)
    text = re.sub(r'"/(?=\w)', '"', text)
    return re.sub(r'"(?:\.\.?|/)"', '"."', text)


def _normalise_src(src: str) -> str:
    return re.sub(r"^(?:\./|\.\./|/)+", "", src)


def _is_material_search_form(tag: str, values: dict[str, str]) -> bool:
    """Material's own search box is a <form> with no action; the sanitiser drops any body form."""
    return tag == "form" and values.get("class") == "md-search__form" and not (
        set(values) & {"action", "target", "method"})


class ParsedPage(HTMLParser):
    """What the checks need from one page, collected in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url) for link checking
        self.fetches: list[str] = []  # URLs loaded with the page
        self.scripts: list[str] = []  # "src:..." or normalised inline text
        self.unsafe: list[str] = []
        self.text_parts: list[str] = []
        self.h1: list[str] = []
        self._script: list[str] | None = None
        self._script_type = ""
        self._skip = 0  # inside <script>/<style>: not visible text
        self._in_h1 = 0
        self._h1_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)
            if name.startswith("on"):
                self.unsafe.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and url_scheme_of(value) in SCRIPT_SCHEMES:
                self.unsafe.append(f"<{tag} {name}={value[:60]!r}> script URL")
            if name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.I):
                self.unsafe.append(f"<{tag} style={value[:60]!r}> active style")
        if tag in FORBIDDEN_ELEMENTS and not _is_material_search_form(tag, values):
            self.unsafe.append(f"<{tag}> element")
        if tag == "meta" and values.get("http-equiv", "").lower() in ("refresh", "set-cookie"):
            self.unsafe.append(f"<meta http-equiv={values['http-equiv']}>")
        if tag in ("a", "area") and values.get("href"):
            self.links.append((tag, values["href"]))
        if tag == "link" and values.get("href"):
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHING_RELS:
                self.fetches.append(values["href"])
                self.links.append((tag, values["href"]))
        if tag in FETCHING_ELEMENTS:
            for name in ("src", "data", "poster"):
                if values.get(name):
                    self.fetches.append(values[name])
                    if tag in ("img", "script"):
                        self.links.append((tag, values[name]))
            for candidate in values.get("srcset", "").split(","):
                if candidate.strip():
                    self.fetches.append(candidate.split()[0])
        if tag == "script":
            if values.get("src"):
                self.scripts.append("src:" + _normalise_src(values["src"]))
            else:
                self._script = []
                self._script_type = values.get("type", "").lower()
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "h1":
            self._in_h1 += 1
        if tag in ("title", "textarea"):
            self.set_cdata_mode(tag)  # RCDATA: a browser reads `<img ...>` in a title as text

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            body = "".join(self._script)
            if self._script_type in DATA_SCRIPT_TYPES:
                # Data, not code; if a value broke out with `</script>`, this is not JSON any more.
                try:
                    json.loads(body)
                except ValueError:
                    self.unsafe.append(f"<script type={self._script_type}> is not valid JSON: {body[:60]!r}")
            else:
                self.scripts.append(normalise_script(body))
            self._script = None
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 -= 1
            if not self._in_h1:
                self.h1.append(" ".join("".join(self._h1_text).split()))
                self._h1_text = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        elif not self._skip:
            self.text_parts.append(data)
            if self._in_h1:
                self._h1_text.append(data)

    @property
    def text(self) -> str:
        """Visible text with whitespace collapsed."""
        return " ".join("".join(self.text_parts).split())


def parse_page(text: str) -> ParsedPage:
    page = ParsedPage()
    page.feed(text)
    page.close()
    return page


def unsafe_markup(page: ParsedPage, allowed_scripts: set[str]) -> list[str]:
    """Findings: event handlers, script URLs, forbidden elements, scripts not in the baseline."""
    found = list(page.unsafe)
    found += [f"script not on a clean page: {s[:80]!r}" for s in page.scripts if s not in allowed_scripts]
    return found


def external_fetches(page: ParsedPage) -> list[str]:
    """URLs on other hosts that loading the page would request."""
    return [url for url in page.fetches if urlsplit(url.strip()).netloc]


def css_external_urls(site: Path) -> list[str]:
    """`url(http...)` and `@import` of other hosts in the published stylesheets."""
    found = []
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", text):
            found.append(f"{css.relative_to(site)}: {match.group(1)}")
    return found


def _target(site: Path, page: Path, path: str, base_path: str) -> Path:
    if path.startswith("/"):
        target = site / path.removeprefix(base_path.rstrip("/")).lstrip("/")
    else:
        target = (page.parent / path) if path else page
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(site: Path, base_path: str = "/", pages: dict[Path, ParsedPage] | None = None) -> list[str]:
    """`page: href` for each internal link whose file or #anchor is missing.

    `base_path` is the path of site_url (`/ai-news-hub/`), from which 404.html links.
    External links (with a host or a scheme) are not checked: the check runs offline.
    """
    site = site.resolve()
    if pages is None:
        pages = {path: parse_page(path.read_text(encoding="utf-8")) for path in site.rglob("*.html")}
    broken = []
    for page_path, page in sorted(pages.items()):
        for _tag, href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            target = _target(site, page_path, unquote(parts.path), base_path).resolve()
            where = f"{page_path.relative_to(site)}: {href}"
            if site != target and site not in target.parents:
                broken.append(f"{where} (outside the site)")
            elif not target.is_file():
                broken.append(where)
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse_page(target.read_text(encoding="utf-8")).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where} (no id {parts.fragment!r})")
    return broken


def parse_site(site: Path) -> dict[Path, ParsedPage]:
    return {path: parse_page(path.read_text(encoding="utf-8")) for path in sorted(site.resolve().rglob("*.html"))}
