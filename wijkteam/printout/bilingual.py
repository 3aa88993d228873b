"""Two-language paper: each text in the family's language with the Dutch beneath it.

The document is made twice from the same data, in the family's language and in Dutch; both
have the same blocks in the same order (the template does not depend on the language). Each
innermost block of the first (a paragraph, list item, heading, table cell, or a div without
blocks inside) gets the text of its twin in the Dutch one beneath it, as
`<span class="nl-line" lang="nl" dir="ltr">`, unless the two say the same (a name, a date
in digits, the family's own words printed as they are). The running title stays in the
family's language only. Marks ("New", "Changed", "explained orally") are not repeated in the
Dutch line.

A pair whose blocks do not match raises Mismatch: that is a bug of the template, never a
reason to print a paper that puts a Dutch line under the wrong text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd", "div", "caption"})
# Blocks that get no Dutch line: the running header (its text becomes the header of every
# page), and layout boxes that hold no words of their own.
SKIP_CLASSES = frozenset({"running-title", "ruler", "write-lines"})
# Inline marks left out of the Dutch line (they are shown once, in the family's language).
MARK_CLASSES = frozenset({"new-mark", "changed-mark", "oral-mark"})
VOID = frozenset({"br", "img", "meta", "link", "hr", "input", "col", "wbr", "source"})
DUTCH_LINE = '<span class="nl-line" lang="nl" dir="ltr">{}</span>'


class Mismatch(ValueError):
    """The two documents do not have the same blocks."""


@dataclass
class _Token:
    kind: str  # "start", "end", "startend", "data", "other"
    tag: str
    raw: str
    classes: frozenset[str] = frozenset()


@dataclass
class _Block:
    tag: str
    start: int  # index of its start token
    end: int = -1  # index of its end token
    classes: frozenset[str] = frozenset()
    has_block_child: bool = False
    children: list[int] = field(default_factory=list)


class _Tokenizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        self.tokens.append(_Token("start", tag, raw, _classes(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}/>"
        self.tokens.append(_Token("startend", tag, raw, _classes(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(_Token("end", tag, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.tokens.append(_Token("data", "", data))

    def handle_entityref(self, name: str) -> None:
        self.tokens.append(_Token("data", "", f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.tokens.append(_Token("data", "", f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(_Token("other", "", f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(_Token("other", "", f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(_Token("other", "", f"<?{data}>"))


def _classes(attrs: list[tuple[str, str | None]]) -> frozenset[str]:
    value = next((v for k, v in attrs if k == "class"), None) or ""
    return frozenset(value.split())


def _tokens(html: str) -> list[_Token]:
    parser = _Tokenizer()
    parser.feed(html)
    parser.close()
    return parser.tokens


def _leaf_blocks(tokens: list[_Token]) -> list[_Block]:
    """The innermost blocks of the body, in document order."""
    stack: list[_Block] = []
    leaves: list[_Block] = []
    in_body = False
    for index, token in enumerate(tokens):
        if token.tag == "body":
            in_body = token.kind == "start"
            continue
        if not in_body or token.tag not in BLOCKS or token.tag in VOID:
            continue
        if token.kind == "start":
            if stack:
                stack[-1].has_block_child = True
            stack.append(_Block(token.tag, index, classes=token.classes))
        elif token.kind == "end":
            if not stack or stack[-1].tag != token.tag:
                raise Mismatch(f"unbalanced <{token.tag}> at token {index}")
            block = stack.pop()
            block.end = index
            if not block.has_block_child:
                leaves.append(block)
    leaves.sort(key=lambda b: b.start)
    return leaves


def _inner(tokens: list[_Token], block: _Block) -> list[_Token]:
    """The tokens inside a block, without the marks and without ids (no id twice)."""
    inner: list[_Token] = []
    skipping: list[str] = []
    for token in tokens[block.start + 1 : block.end]:
        if skipping:
            if token.kind == "start" and token.tag == skipping[-1]:
                skipping.append(token.tag)
            elif token.kind == "end" and token.tag == skipping[-1]:
                skipping.pop()
            continue
        if token.kind == "start" and token.classes & MARK_CLASSES:
            skipping.append(token.tag)
            continue
        if token.kind in ("start", "startend"):
            token = _Token(token.kind, token.tag, re.sub(r'\s+id="[^"]*"', "", token.raw))
        inner.append(token)
    return inner


def _text(tokens: list[_Token]) -> str:
    return " ".join(unescape("".join(t.raw for t in tokens if t.kind == "data")).split())


def merge(family: str, dutch: str) -> str:
    """The family's document with the Dutch of each of its innermost blocks beneath it."""
    family_tokens, dutch_tokens = _tokens(family), _tokens(dutch)
    family_blocks, dutch_blocks = _leaf_blocks(family_tokens), _leaf_blocks(dutch_tokens)
    if [b.tag for b in family_blocks] != [b.tag for b in dutch_blocks]:
        raise Mismatch(f"{len(family_blocks)} blocks against {len(dutch_blocks)} in Dutch")
    insert_before: dict[int, str] = {}
    for ours, theirs in zip(family_blocks, dutch_blocks, strict=True):
        if ours.classes & SKIP_CLASSES:
            continue
        dutch_inner = _inner(dutch_tokens, theirs)
        dutch_text = _text(dutch_inner)
        if not dutch_text or dutch_text == _text(_inner(family_tokens, ours)):
            continue
        insert_before[ours.end] = DUTCH_LINE.format("".join(t.raw for t in dutch_inner).strip())
    out: list[str] = []
    for index, token in enumerate(family_tokens):
        if index in insert_before:
            out.append(insert_before[index])
        out.append(token.raw)
    return "".join(out)
