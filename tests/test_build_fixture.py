"""End-to-end: fixture hubs built in-process with --strict, checked by parsing the HTML."""
from __future__ import annotations

from html.parser import HTMLParser

from hubsite import build_hub, make_hub, story_text


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def test_story_appears_on_home_tag_company_publisher_and_archive(tmp_path):
    config = make_hub(tmp_path, {"2024/gpt-news.md": story_text("GPT news", "2024-05-13T17:00:00Z")})
    result = build_hub(config)
    assert result.aborted is None, result.log
    assert result.messages() == []
    story_url = "stories/2024/gpt-news/"
    for page, prefix in [("index.html", ""), ("tags/llm/index.html", "../../"),
                         ("companies/openai/index.html", "../../"),
                         ("sources/example-news/index.html", "../../"),
                         ("archive/2024/05/index.html", "../../../")]:
        assert prefix + story_url in hrefs(result.html(page)), page
    story = result.html("stories/2024/gpt-news/index.html")
    assert '<sup id="cite-1"><a href="#source-1">[1]</a></sup>' in story
    assert 'id="source-1"' in story
    assert '<time datetime="2024-05-13T17:00:00Z" data-hub-time="full">' in story
