"""Editor feedback from the sanitiser: what it drops from a body is an advisory naming the line."""
from __future__ import annotations

import pytest

from hub.cli import main
from hub.removals import find_removals
from hubsite import build_hub, make_hub, story_text


@pytest.mark.parametrize("line, removed", [
    ("See [the demo](javascript:alert(1)) [1].", "the link address `javascript:alert(1)`"),
    ("<script>alert(1)</script>", "the <script> element and everything inside it"),
    ('<img src="chart.png" onerror="alert(1)">', "the `onerror` attribute of <img>"),
    ('<a href="data:text/html,hi">x</a>', "the link address `data:text/html,hi`"),
    ("<iframe src='https://example.com/'></iframe>", "the <iframe> element"),
    ("<font>old</font>", "the <font> tag (its text stays)"),
    ("![chart](https://cdn.example.com/chart.png)", "the image `https://cdn.example.com/chart.png` (it is on another host)"),
    ("## Heading { onclick=\"go()\" .wide }", "the `onclick` attribute in `{onclick=\"go()\" .wide}`"),
    ('<p style="color: red">x</p>', "the `style` attribute of <p>"),
    ('<div id="__search">x</div>', "the `id` attribute of <div>"),
    ("[ref]: vbscript:msgbox", "the link address `vbscript:msgbox`"),
])
def test_each_kind_of_removal_is_found_on_its_line(line, removed):
    body = f"First paragraph [1].\n\n{line}\n"
    found = find_removals(body)
    assert [r.offset for r in found] == [2], found
    assert found[0].what.startswith(removed)


@pytest.mark.parametrize("body", [
    "Plain text with a [link](https://example.com/a_(b)) and ![local](../img/chart.png) [1].",
    "Code: `<script>` and `[x](javascript:y)` are text.",
    "```html\n<script>alert(1)</script>\n```",
    "<!-- a note to other editors: <script> -->",
    '<div markdown class="note" title="t">**kept**</div>',
    "## Heading { #anchor .cls }",
    '<td style="text-align: right">1</td>',
])
def test_what_the_sanitiser_keeps_is_not_reported(body):
    assert find_removals(body) == []


BODY = "It happened [1].\n\n<script>steal()</script>\n\nMore, with [a link](javascript:void(0)).\n"


def test_hub_check_and_the_build_log_name_line_and_removal(tmp_path, monkeypatch, capsys):
    config = make_hub(tmp_path, {"2024/x.md": story_text(body=BODY)})
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    expected = ["content/stories/2024/x.md:14: body: the page leaves out the <script> element and "
                "everything inside it [advisory] Fix: Readers see only text, links and images of the "
                "site; delete it or write it as Markdown.",
                "content/stories/2024/x.md:16: body: the page leaves out the link address "
                "`javascript:void(0)` (only http(s) addresses are kept) [advisory] Fix: Link only to "
                "http(s) addresses or pages of the site."]
    assert out == expected + ["hub check: 1 story, 0 error(s), 2 advisory note(s)"]
    result = build_hub(config)
    assert result.aborted is None and result.messages() == []
    logged = result.messages("INFO")
    assert any(m.startswith("hub: stories/2024/x.md:14: body: the page leaves out the <script> element") for m in logged)
    assert any(m.startswith("hub: stories/2024/x.md:16: body: the page leaves out the link address") for m in logged)
    page = result.html("stories/2024/x/index.html")
    assert "steal()" not in page and "javascript:" not in page
