{#- A Jinja template, not a copied file: hooks/hub_site/theme.py has MkDocs render it once a build
    (a theme static template), so the palette's form below comes from mkdocs.yml. -#}
/* Material for MkDocs' two inline scripts (9.8.2, MIT licence) as one cached file, loaded by
   partials/javascripts/palette.html in the header, and the palette's toggle, which it draws.

   First partials/javascripts/base.html: the storage helpers Material's bundle (at the end of the
   page) and the palette code below use. Material scopes what it stores to the site's root,
   written in each page as a relative address; here the root is found from this file's own
   address (assets/javascripts/ under it), so every page of the site shares one scope. */
var __md_scope = new URL("../../", document.currentScript.src),
    __md_hash = (e) => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0),
    __md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e)),
    __md_set = (e, _, t = localStorage, a = __md_scope) => {
      try { t.setItem(a.pathname + "." + e, JSON.stringify(_)); } catch (e) {}
    };

/* The toggle: Material's partials/palette.html form, with the hub's icons, put in the header
   before this script's tag, where Material's template had it. Only a script can switch the scheme,
   so a page without scripts carries none of it (830 bytes a page: inputs and labels
   Material's bundle would unhide); the bundle, at the end of the page, finds it as before. */
{%- if config.theme.palette and config.theme.palette is not mapping %}
{%- set form %}{% include "partials/palette.html" %}{% endset %}
document.currentScript.insertAdjacentHTML("beforebegin", {{ form | trim | tojson }});
{%- endif %}

/* Then partials/javascripts/palette.html, unchanged but for layout: the scheme the reader chose
   with the toggle (saved by Material's bundle) is set on <body> before the page's content is
   parsed. */
var palette = __md_get("__palette");
if (palette && palette.color) {
  if ("(prefers-color-scheme)" === palette.color.media) {
    var media = matchMedia("(prefers-color-scheme: light)"),
        input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
    palette.color.media = input.getAttribute("data-md-color-media");
    palette.color.scheme = input.getAttribute("data-md-color-scheme");
    palette.color.primary = input.getAttribute("data-md-color-primary");
    palette.color.accent = input.getAttribute("data-md-color-accent");
  }
  for (var [key, value] of Object.entries(palette.color))
    document.body.setAttribute("data-md-color-" + key, value);
}
