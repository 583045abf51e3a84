"""Notice bodies: Markdown written by the province's administrators, rendered to HTML that is safe to show.

markdown-it-py renders CommonMark (plus tables and strikethrough; inline HTML passes through), then nh3 (the
Rust ``ammonia`` sanitiser) keeps only an allow-list of tags and attributes: a body can never carry a script
(removed with its content), an event handler, a style, an image from elsewhere or a ``javascript:`` link,
whatever was typed. Headings move so the top one is an <h2>: the notice's title is the page's <h1>.
"""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def _shift_headings(tokens):
    """The body's top heading level becomes <h2> (the page's <h1> is the notice's title), the others follow."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    shift = 2 - min(levels) if levels else 0
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) + shift, 2), 6)}"
    return tokens


def render(text):
    """Markdown → sanitised HTML (a SafeString)."""
    tokens = _shift_headings(_parser.parse(text or ""))
    html = _parser.renderer.render(tokens, _parser.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has removed everything outside the allow-list
