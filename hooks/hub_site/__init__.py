"""The MkDocs side of a build, between the engine-free core (`hub`) and the hook wiring.

- `session`: what one process keeps (`ProcessSession`) and what one build knows (`BuildSession`).
- `content`: on_files: stories read once and validated, their pages and the listings added,
  the feeds planned, every hub page's key computed from the view its template will get.
- `pages`: a hub page's way through the build, decided once per page (`HubPage.route`).
- `views`: what templates receive (frozen views; the cache key is computed from them), cards,
  page heads, sitemap dates.
- `machine`: feeds, OPML and the JSON API written at the end; `serve`'s stale outputs removed.
- `theme`: the theme files MkDocs must render as templates, not copy (`hub-palette.js`).
"""
