/* The header search box (partials/search.html) on Pagefind's index (hooks/hub/searchindex.py).
 *
 * Nothing is fetched until the reader opens the box: then pagefind.js loads its WebAssembly and
 * the index's entry files, and each query fetches only the index chunks and result fragments it
 * needs, all from this site. Result text is put in as text (only Pagefind's <mark>s become
 * elements), so nothing a story says becomes markup. Material binds "/", "s" and
 * "f" to its own search; this script keeps those keys for this box. */
(() => {
  "use strict";
  const box = document.querySelector("[data-hub-search]");
  const toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  const script = document.currentScript;
  const root = new URL("../../", script.src);                // the site's root, from this file's address
  const form = box.querySelector("[data-hub-search-form]");
  const input = box.querySelector("[data-hub-search-query]");
  const panel = box.querySelector("[data-hub-search-panel]");
  const status = box.querySelector("[data-hub-search-status]");
  const list = box.querySelector("[data-hub-search-results]");
  const more = box.querySelector("[data-hub-search-more]");
  const selects = [...box.querySelectorAll("[data-hub-search-filter]")];
  const PAGE = 10;
  let engine = null;      // promise of the pagefind module, made on first open
  let generation = 0;     // each search's number: an older search's results are dropped
  let results = [];
  let shown = 0;

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
        await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
        await pagefind.init();
        return pagefind;
      });
      engine.catch(() => say("Search is not available on this copy of the site."));
    }
    return engine;
  }

  /* The menus are filled when the reader first reaches them: the filter files list every
   * story, so they grow with the hub, and a reader who only types need not download them. */
  let filled = null;
  function fillFilters() {
    filled = filled || load().then(async (pagefind) => {
      const counts = await pagefind.filters();
      for (const select of selects) {
        const values = Object.keys(counts[select.name] || {});
        values.sort(select.name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
        for (const value of values) select.add(new Option(value, value));
      }
    });
    return filled;
  }

  function say(text) { status.textContent = text; }

  function chosenFilters() {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.name] = select.value;
    return filters;
  }

  /* One search at a time, then one for whatever was typed meanwhile: a query whose words are in
   * most stories takes Pagefind a good part of a second, and a search per keystroke would queue. */
  let searching = false;
  let typedMeanwhile = false;
  async function run() {
    if (searching) { typedMeanwhile = true; return; }
    searching = true;
    list.setAttribute("aria-busy", "true");
    try {
      do { typedMeanwhile = false; await searchOnce(); } while (typedMeanwhile);
    } finally {
      searching = false;
      list.setAttribute("aria-busy", "false");
    }
  }

  async function searchOnce() {
    const mine = ++generation;
    const query = input.value.trim();
    const filters = chosenFilters();
    if (!query && !Object.keys(filters).length) {
      list.replaceChildren();
      more.hidden = true;
      say("Type to search the stories, topics, companies and sources.");
      return;
    }
    const pagefind = await load();
    const search = await pagefind.search(query || null, { filters });
    if (mine !== generation || !search) return;
    results = search.results;
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
  }

  async function showMore(mine) {
    const next = results.slice(shown, shown + PAGE);
    const pages = await Promise.all(next.map((result) => result.data()));
    if (mine !== generation) return;
    for (const page of pages) list.append(item(page));
    shown += next.length;
    more.hidden = shown >= results.length;
    const count = results.length;
    say(count === 0 ? "No results." : `${count} result${count === 1 ? "" : "s"}${count > shown ? `, showing ${shown}` : ""}.`);
  }

  function item(page) {
    const meta = page.meta || {};
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link hub-search__link";
    link.href = new URL(page.url, location.origin).href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("p");
    title.className = "hub-search__title";
    title.textContent = meta.title || page.url;
    const line = document.createElement("p");
    line.className = "hub-search__meta";
    const kind = meta.kind || "Page";
    line.textContent = kind === "Story"
      ? [meta.date, meta.publishers].filter(Boolean).join(" · ")
      : kind;
    const excerpt = document.createElement("p");
    excerpt.className = "hub-search__excerpt";
    excerpt.append(...marked(page.excerpt || ""));
    article.append(title, line, excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  /* Pagefind's excerpt is the page's text as it reads (a story about "<script>" has those
   * characters in it) with <mark> around the matched words: it is split at the marks and every
   * part is put in as text, never parsed as HTML. */
  function marked(excerpt) {
    return excerpt.split(/(<mark>[^<]*<\/mark>)/).map((part) => {
      const hit = /^<mark>([^<]*)<\/mark>$/.exec(part);
      if (!hit) return document.createTextNode(part);
      const mark = document.createElement("mark");
      mark.textContent = hit[1];
      return mark;
    });
  }

  function open() {
    panel.hidden = false;
    toggle.checked = true;
    load();
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
  const menus = box.querySelector("[data-hub-search-filters]");
  menus.addEventListener("focusin", fillFilters);
  menus.addEventListener("pointerdown", fillFilters);
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
