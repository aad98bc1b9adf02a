"""What a reader sees, measured in Chromium (used by scripts/verify_site.py and the tests).

Each probe is JavaScript run in a loaded page; each returns plain data, and the Python functions
turn it into findings (empty list: the page passes). Issue 13 ("readers first") set the bars:
headlines above the fold, citation markers that stay with their word and are 24x24 px to tap,
the targeted source highlighted, the dark scheme from the system preference.
"""
from __future__ import annotations

MIN_TARGET = 24  # CSS px, WCAG 2.2 success criterion 2.5.8 (target size, minimum)

# Story headlines whose box is wholly inside the viewport, each with the parts a river needs.
_FOLD = """() => {
  const rows = [];
  for (const card of document.querySelectorAll('.hub-card')) {
    const title = card.querySelector('h2');
    const box = title.getBoundingClientRect();
    if (box.height === 0 || box.top < 0 || box.bottom > innerHeight) continue;
    const meta = card.querySelector('.hub-meta');
    rows.push({title: title.textContent.trim(), time: !!meta.querySelector('time[datetime]'),
               publishers: (meta.querySelector('b') || {}).textContent || '',
               sources: /\\b\\d+\\s+sources?\\b/.test(meta.textContent)});
  }
  return rows;
}"""

# Every citation marker: its tap target's size, whether it shares a line with the text before
# it, and each paragraph's height against its line height (a marker must not open the lines).
_CITATIONS = """() => {
  const markers = [];
  for (const sup of document.querySelectorAll('.hub-body sup[id^=cite-]')) {
    const link = sup.querySelector('a');
    const box = link.getBoundingClientRect();
    let before = sup.previousSibling;
    while (before && before.nodeType === Node.TEXT_NODE && !before.textContent.replace(/[\\s\\u2060]/g, ''))
      before = before.previousSibling;
    let sameLine = true;
    if (before) {
      const range = document.createRange();
      if (before.nodeType === Node.TEXT_NODE) {
        const text = before.textContent.replace(/[\\s\\u2060]+$/, '');
        range.setStart(before, text.length - 1); range.setEnd(before, text.length);
      } else range.selectNodeContents(before);
      const rects = range.getClientRects();
      const last = rects[rects.length - 1];
      const middle = (last.top + last.bottom) / 2;
      sameLine = middle > box.top - 4 && middle < box.bottom + 4;
    }
    markers.push({id: sup.id, width: box.width, height: box.height, sameLine});
  }
  const paragraphs = [];
  for (const p of document.querySelectorAll('.hub-body p')) {
    if (!p.querySelector('sup[id^=cite-]')) continue;
    const style = getComputedStyle(p);
    const line = parseFloat(style.lineHeight);
    const height = p.getBoundingClientRect().height;
    paragraphs.push({text: p.textContent.slice(0, 40), line, height, lines: Math.round(height / line)});
  }
  return {markers, paragraphs};
}"""

_BACKGROUND = "(el) => getComputedStyle(el).backgroundColor"


def fold_findings(rows: list[dict], minimum: int, where: str) -> list[str]:
    """At least `minimum` whole headlines in view, each with time, publishers and source count."""
    found = [f"{where}: {len(rows)} headlines fully above the fold, want {minimum} or more"] if len(rows) < minimum else []
    for row in rows:
        missing = [part for part in ("time", "publishers", "sources") if not row[part]]
        if missing:
            found.append(f"{where}: {row['title'][:50]!r} shows no {', '.join(missing)}")
    return found


def citation_findings(result: dict, where: str) -> list[str]:
    """Markers at least 24x24, none starting a line, no paragraph loosened by them."""
    found = []
    if not result["markers"]:
        found.append(f"{where}: no citation marker found")
    for marker in result["markers"]:
        if marker["width"] < MIN_TARGET - 0.01 or marker["height"] < MIN_TARGET - 0.01:
            found.append(f"{where}: #{marker['id']} is {marker['width']:.1f}x{marker['height']:.1f} px to tap")
        if not marker["sameLine"]:
            found.append(f"{where}: #{marker['id']} starts a line, apart from the word before it")
    for paragraph in result["paragraphs"]:
        if abs(paragraph["height"] - paragraph["lines"] * paragraph["line"]) > 1.5:
            found.append(f"{where}: paragraph {paragraph['text']!r} is {paragraph['height']:.1f} px for "
                         f"{paragraph['lines']} lines of {paragraph['line']:.1f} px: markers open the lines")
    return found


def measure_fold(page) -> list[dict]:
    return page.evaluate(_FOLD)


def measure_citations(page) -> dict:
    return page.evaluate(_CITATIONS)


def target_findings(page, where: str) -> list[str]:
    """Follow the first marker: the source entry it lands on must look different from the rest."""
    link = page.locator(".hub-body sup[id^=cite-] a").first
    href = link.get_attribute("href") or ""
    link.click()
    page.wait_for_timeout(150)
    if not page.url.endswith(href):
        return [f"{where}: following a marker went to {page.url}, not {href}"]
    target = page.locator(f"li{href}")
    others = page.locator(f".hub-sources li:not({href})")
    if others.count() == 0:
        return []
    if target.evaluate(_BACKGROUND) == others.first.evaluate(_BACKGROUND):
        return [f"{where}: the source entry {href} is not highlighted after following a marker"]
    return []


def scheme_findings(page, expected: str, where: str) -> list[str]:
    """Material's palette applies the scheme of the system preference on a first visit."""
    scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    return [] if scheme == expected else [f"{where}: colour scheme {scheme!r}, want {expected!r}"]


def localised_findings(page, where: str) -> list[str]:
    """hub-time.js ran: no dated-and-timed element still shows the build's UTC text."""
    left = page.evaluate("() => [...document.querySelectorAll('time[data-hub-time=full]')]"
                         ".filter(t => t.textContent.endsWith('UTC')).length")
    return [f"{where}: {left} times still in UTC: hub-time.js did not run"] if left else []
