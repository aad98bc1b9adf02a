/* The header search box (partials/search.html) on the hub's own index (hooks/hub/searchindex.py).
 *
 * The page holds only an empty place for the box; this script builds it there, in Material's
 * markup, before Material's bundle starts its components (DOMContentLoaded follows deferred
 * scripts). Nothing is fetched until the reader opens the box: then the index's manifest (shard
 * boundaries and the filter menus), and per query only the term shards holding the typed words
 * and one small file per result shown (and a story result's own page, for its snippet), all
 * from this site. Every word but the last must match
 * exactly, the last one as typed so far (a prefix); results are ranked by the sum of the BM25
 * weights the build stored. Result text is put in as text (only the marks around matched words
 * are elements), so nothing a story says becomes markup. Material binds "/", "s" and "f" to its
 * own search; this script keeps those keys for this box. */
(() => {
  "use strict";
  const box = document.querySelector("[data-hub-search]");
  const toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  build(box);
  const script = document.currentScript;
  const root = new URL("../../", script.src);                // the site's root, from this file's address
  const base = new URL("search/", root);
  const form = box.querySelector("[data-hub-search-form]");
  const input = box.querySelector("[data-hub-search-query]");
  const panel = box.querySelector("[data-hub-search-panel]");
  const status = box.querySelector("[data-hub-search-status]");
  const list = box.querySelector("[data-hub-search-results]");
  const more = box.querySelector("[data-hub-search-more]");
  const selects = [...box.querySelectorAll("[data-hub-search-filter]")];
  const PAGE = 10;
  const PREFIX_TERMS = 200;  // the last word as a prefix: at most this many words it starts
  let manifest = null;    // promise of the manifest, made on first open
  let generation = 0;     // each search's number: an older search's results are dropped
  let results = [];
  let shown = 0;

  /* The box: Material's search form with its three icons (magnifier, back arrow, clear), then
   * the panel with the filter menus, the status line, the results and the More button. Fixed
   * text only: what a search finds is put in as text (item, snippet). */
  function build(place) {
    const svg = (path) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${path}"/></svg>`;
    const filter = (name, label) =>
      `<label>${label} <select name="${name}" data-hub-search-filter="${name}"><option value="">Any</option></select></label>`;
    place.setAttribute("role", "dialog");
    place.setAttribute("aria-label", "Search");
    place.innerHTML = `<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search">
<form class="md-search__form" name="hub-search" novalidate data-hub-search-form>
<input type="text" class="md-search__input" name="q" aria-label="Search" placeholder="Search" aria-keyshortcuts="/ s f" aria-controls="hub-search-results" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required data-hub-search-query>
<label class="md-search__icon md-icon" for="__search">${svg("M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5")}${svg("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z")}</label>
<nav class="md-search__options" aria-label="Search"><button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear">${svg("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z")}</button></nav>
</form>
<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>
<div class="md-search-result" data-hub-search-panel hidden>
<fieldset class="hub-search__filters" data-hub-search-filters><legend>Narrow by</legend>${filter("topic", "Topic")}${filter("company", "Company")}${filter("publisher", "Publisher")}${filter("year", "Year")}</fieldset>
<p class="md-search-result__meta" role="status" data-hub-search-status>Type to search the stories, topics, companies and sources.</p>
<ol class="md-search-result__list" id="hub-search-results" data-hub-search-results></ol>
<button type="button" class="md-button hub-search__more" data-hub-search-more hidden>More results</button>
</div></div></div>
</div>`.replace(/\n/g, "");
  }

  /* tokens: the twin of hooks/hub/searchtext.py (tests/test_search_tokens.py runs both). */
  // tokens-start
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}+/gu, "");
  }
  function tokens(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }
  // tokens-end

  /* Every index file is gzip; a server that already unpacked it (Content-Encoding) is fine too.
   * The manifest (no version) is revalidated, so a browser never pairs an old manifest with a
   * new deploy's shards; every other file has the index's version in its address. */
  const files = new Map();
  function fetchFile(path, version) {
    const url = new URL(path + (version ? `?v=${version}` : ""), base).href;
    if (!files.has(url)) {
      files.set(url, fetch(url, { cache: version ? "default" : "no-cache" }).then(async (response) => {
        if (!response.ok) throw new Error(`${response.status} ${url}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Uint8Array(await new Response(stream).arrayBuffer());
      }));
      files.get(url).catch(() => files.delete(url));
    }
    return files.get(url);
  }
  const text = new TextDecoder();
  const json = async (path, version) => JSON.parse(text.decode(await fetchFile(path, version)));

  function load() {
    if (!manifest) {
      manifest = json("manifest.bin", "");
      manifest.catch(() => { manifest = null; say("Search is not available on this copy of the site."); });
    }
    return manifest;
  }

  /* A shard: entries of [term length][term][doc count][bytes of the ids][doc id deltas][one
   * weight per doc], all lengths varints. Only the terms are read here; a term's postings are
   * decoded when a query uses it (a shard of common words holds long lists). */
  const shards = new Map();
  function shard(index, number) {
    if (!shards.has(number)) {
      shards.set(number, fetchFile(`terms/${number}.bin`, index.version).then((bytes) => {
        const terms = [];
        const reader = { bytes, at: 0 };
        while (reader.at < bytes.length) {
          const length = varint(reader);
          const term = text.decode(bytes.subarray(reader.at, reader.at + length));
          reader.at += length;
          const count = varint(reader);
          const size = varint(reader);
          terms.push({ term, count, ids: bytes.subarray(reader.at, reader.at + size),
                       weights: bytes.subarray(reader.at + size, reader.at + size + count) });
          reader.at += size + count;
        }
        return terms;
      }));
      shards.get(number).catch(() => shards.delete(number));
    }
    return shards.get(number);
  }

  function varint(reader) {
    let value = 0, shift = 0, byte;
    do { byte = reader.bytes[reader.at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return value;
  }

  /* Add a term's postings to `found` (doc id -> weight), keeping the better weight. */
  function addPostings(entry, found) {
    const reader = { bytes: entry.ids, at: 0 };
    let id = 0;
    for (let i = 0; i < entry.count; i++) {
      id += varint(reader);
      const best = found.get(id);
      if (best === undefined || best < entry.weights[i]) found.set(id, entry.weights[i]);
    }
  }

  /* The shard that would hold `term`: the last whose first term is not after it. */
  function shardOf(index, term) {
    let low = 0, high = index.shards.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (index.shards[middle] <= term) low = middle; else high = middle - 1;
    }
    return low;
  }

  /* doc id -> weight, of one exact term, or of every term the prefix starts (best weight). */
  async function postings(index, term, prefix) {
    const found = new Map();
    if (!index.shards.length) return found;
    let taken = 0;
    for (let number = shardOf(index, term); number < index.shards.length; number++) {
      if (number > shardOf(index, term) && !(prefix && index.shards[number].startsWith(term))) break;
      for (const entry of await shard(index, number)) {
        if (prefix ? !entry.term.startsWith(term) : entry.term !== term) continue;
        addPostings(entry, found);
        if (!prefix || ++taken >= PREFIX_TERMS) return found;
      }
    }
    return found;
  }

  /* The last word may still be being typed (no space after it yet): it matches as a prefix. */
  function endsInWord(query) {
    return /[\p{L}\p{N}\p{M}]$/u.test(query);
  }

  /* Every word must match; filters are terms too (`#topic:3`). Highest summed weight first,
   * then the lower doc id (stories come first, newest first). */
  async function find(index, query, filters) {
    const words = tokens(query);
    const prefix = endsInWord(query);
    const lists = await Promise.all([
      ...words.map((word, i) => postings(index, word, prefix && i === words.length - 1)),
      ...filters.map((key) => postings(index, key, false)),
    ]);
    if (!lists.length) return [];
    lists.sort((a, b) => a.size - b.size);
    const scored = [];
    for (const [id, weight] of lists[0]) {
      let score = weight;
      let everywhere = true;
      for (let i = 1; i < lists.length && everywhere; i++) {
        const other = lists[i].get(id);
        if (other === undefined) everywhere = false; else score += other;
      }
      if (everywhere) scored.push([score, id]);
    }
    scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return scored.map(([, id]) => id);
  }

  /* The menus are filled from the manifest (every value with its number of stories) when the
   * box opens. */
  let filled = null;
  function fillFilters() {
    filled = filled || load().then((index) => {
      for (const select of selects) {
        for (const [value, count] of index.facets[select.name] || []) {
          select.add(new Option(`${value} (${count})`, value));
        }
      }
    });
    filled.catch(() => { filled = null; });
    return filled;
  }

  function say(text) { status.textContent = text; }

  /* A menu's options follow the manifest's values, so the n-th value is the term `#menu:n`. */
  function chosenFilters() {
    return selects.filter((select) => select.selectedIndex > 0)
      .map((select) => `#${select.name}:${select.selectedIndex - 1}`);
  }

  /* One search at a time, then one for whatever was typed meanwhile: a search per keystroke
   * on a slow connection would queue. */
  let searching = false;
  let typedMeanwhile = false;
  async function run() {
    generation++;  // whatever an earlier search is still showing stops here
    if (searching) { typedMeanwhile = true; return; }
    searching = true;
    list.setAttribute("aria-busy", "true");
    try {
      do { typedMeanwhile = false; await searchOnce(); } while (typedMeanwhile);
    } catch {
      say("Search is not available on this copy of the site.");
    } finally {
      searching = false;
      list.setAttribute("aria-busy", "false");
    }
  }

  let index = null;
  let words = [];
  let typing = false;  // the query ends inside a word: its last word is a prefix
  async function searchOnce() {
    const mine = generation;
    const query = input.value;
    const filters = chosenFilters();
    if (!tokens(query).length && !filters.length) {
      list.replaceChildren();
      more.hidden = true;
      say("Type to search the stories, topics, companies and sources.");
      return;
    }
    index = await load();
    const found = await find(index, query, filters);
    if (mine !== generation) return;
    results = found;
    words = tokens(query);
    typing = endsInWord(query);
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
  }

  /* Each result is shown as soon as it and those above it have arrived, a story's with a snippet
   * of its summary (what its doc file holds). Where the summary has none of the typed words, they
   * are in the body: the snippet is cut again from the story's page once it has come (storyText). */
  async function showMore(mine) {
    const next = results.slice(shown, shown + PAGE);
    const docs = next.map((id) => json(`doc/${id}.bin`, index.version));
    shown += next.length;
    const count = results.length;
    say(count === 0 ? "No results." : `${count} result${count === 1 ? "" : "s"}${count > shown ? `, showing ${shown}` : ""}.`);
    more.hidden = true;
    for (const doc of docs) {
      const record = await doc;
      if (mine !== generation) return;
      const shownItem = item(record);
      list.append(shownItem);
      if (record[1] === "Story" && !record[5].match(WORD_RUN)?.some(matches)) {
        storyText(record[0]).then((whole) => {
          if (whole && mine === generation) shownItem.querySelector(".hub-search__excerpt").replaceChildren(...snippet(whole));
        });
      }
    }
    more.hidden = shown >= count;
  }

  /* A story's whole text, which its snippet is cut from, is on its own page (the one the reader
   * is likely to open next, so then it is cached), not in the index; null without the page
   * (offline, an error), and the summary's snippet stays. */
  async function storyText(url) {
    try {
      const response = await fetch(new URL(url, root));
      return response.ok ? pageText(new DOMParser().parseFromString(await response.text(), "text/html")) : null;
    } catch {
      return null;
    }
  }

  /* A story page's lead and body as the index read them: no [1] markers, no heading anchors,
   * blocks apart by a space. The page is parsed, never run or shown. */
  const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, td, th, dt, dd, figcaption";
  function pageText(page) {
    const parts = [...page.querySelectorAll(".hub-lead, .hub-body")];
    for (const part of parts) {
      for (const skip of part.querySelectorAll("sup[id^=cite-], .headerlink")) skip.remove();
      for (const block of part.querySelectorAll(BLOCKS)) block.append(" ");
    }
    return parts.map((part) => part.textContent).join(" ").replace(/\u2060/g, "").replace(/\s+/g, " ").trim();
  }

  /* Whether a word of a result's text is one the reader typed (the last one as a prefix). */
  function matches(word) {
    const last = words.length - 1;
    return tokens(word).some((token) => words.some((w, i) => token === w || (typing && i === last && token.startsWith(w))));
  }

  function item([url, kind, title, date, publishers, body]) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link hub-search__link";
    link.href = new URL(url, root).href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const heading = document.createElement("p");
    heading.className = "hub-search__title";
    heading.textContent = title || url;
    const line = document.createElement("p");
    line.className = "hub-search__meta";
    line.textContent = kind === "Story" ? [date, publishers].filter(Boolean).join(" · ") : kind;
    const excerpt = document.createElement("p");
    excerpt.className = "hub-search__excerpt";
    excerpt.append(...snippet(body));
    article.append(heading, line, excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  /* About 30 words of the text from a little before its first matched word, every matched word
   * in a <mark>; the parts are text nodes, never parsed as HTML. */
  const SNIPPET = 30;
  const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
  function snippet(body) {
    const spans = [...body.matchAll(WORD_RUN)];
    if (!spans.length) return [];
    const hit = Math.max(0, spans.findIndex((span) => matches(span[0])));
    const first = Math.max(0, hit - 8);
    const last = Math.min(spans.length, first + SNIPPET);
    const parts = [];
    let at = spans[first].index;
    if (first > 0) parts.push(document.createTextNode("… "));
    for (let i = first; i < last; i++) {
      const span = spans[i];
      if (!matches(span[0])) continue;
      parts.push(document.createTextNode(body.slice(at, span.index)));
      const mark = document.createElement("mark");
      mark.textContent = span[0];
      parts.push(mark);
      at = span.index + span[0].length;
    }
    const end = last < spans.length ? spans[last - 1].index + spans[last - 1][0].length : body.length;
    parts.push(document.createTextNode(body.slice(at, end) + (last < spans.length ? " …" : "")));
    return parts;
  }

  function open() {
    panel.hidden = false;
    toggle.checked = true;
    fillFilters();
  }

  function close() {
    toggle.checked = false;
    panel.hidden = true;
    input.blur();
  }

  function links() { return [...list.querySelectorAll("a")]; }

  input.addEventListener("focus", open);
  input.addEventListener("input", run);
  toggle.addEventListener("change", () => {
    if (toggle.checked) { open(); input.focus(); } else { panel.hidden = true; }
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(generation));
  form.addEventListener("reset", () => setTimeout(() => { input.focus(); run(); }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) location.href = first.href;
  });
  box.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" && (event.target === input || at >= 0) && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (!["/", "s", "f"].includes(event.key)) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    open();
    input.focus();
    input.select();
  }, true);
})();
