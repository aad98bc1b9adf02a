"""The reused Markdown instance renders exactly what MkDocs' own fresh-instance path renders."""
from __future__ import annotations

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hub_pagerender import MarkdownPool
from hubsite import ROOT

DOCS = {
    "a.md": "# Title\n\n## Same\n\ntext [link](b.md#same) `code` *em*\n\n## Same\n\n!!! note \"Admonition\"\n    inside\n",
    "b.md": "## Same\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('x')\n```\n\n<div markdown>**md in html**</div>\n\n## Same\n",
    "c.md": "Para {: #custom .cls }\n\n## Other\n\n- one\n- two\n\n```\nplain\n```\n",
}


def test_pool_matches_fresh_instances(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"),
                         hooks=[], nav=None)
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in DOCS])
    pool = MarkdownPool()
    for round_ in range(2):  # twice, so every page follows another through the same instance
        for file in files:
            fresh, pooled = Page(None, file, config), Page(None, file, config)
            for page in (fresh, pooled):
                page.read_source(config)
            fresh.render(config, files)
            pool.render(pooled, config, files)
            assert pooled.content == fresh.content, file.src_uri
            assert [(t.id, t.title, t.level) for t in pooled.toc] == [(t.id, t.title, t.level) for t in fresh.toc]
            assert pooled.present_anchor_ids == fresh.present_anchor_ids
            assert pooled.title == fresh.title
