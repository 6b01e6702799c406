"""A printable document (plan, referral packet, incident summary) as Markdown or as one
self-contained HTML file, from one structure.

    Document(title, running, pages)   pages of blocks; `running` (the person's chosen name)
                                      heads every page, with "page N of M"
    render(doc, "md" | "html")        the text; every piece of user text escaped

Pages: the HTML prints each page on its own sheet (`break-after: page`), with `@page`
margins that suit both US Letter and A4 and "page N of M" in the page's margin; the
Markdown separates them with a rule and a raw page break a converter keeps.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from coachdesk.errors import CoachdeskError

FORMATS = ("md", "html")
EMPTY = "(nothing written yet)"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""
    """'' plain, 'muted' (italic, grey), 'strong' (bold), 'box' (framed: the crisis numbers)."""


@dataclass(frozen=True)
class Items:
    """A list; an item's sub-items print as tick boxes (a goal's steps). No items: EMPTY."""

    items: list[tuple[str, list[str]]]
    empty: str = EMPTY


@dataclass(frozen=True)
class Facts:
    """Label: value lines (a packet's details)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    empty: str = "none"


Block = Heading | Para | Items | Facts | Table


@dataclass
class Document:
    title: str
    running: str
    pages: list[list[Block]] = field(default_factory=list)
    notice: str = ""
    """The redisclosure notice, printed last, framed (a copy for someone outside the program)."""


def render(doc: Document, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(doc)
    if fmt == "html":
        return to_html(doc)
    raise CoachdeskError(f"unknown format {fmt!r}: use md or html")


# ---- Markdown ------------------------------------------------------------------------

def md_escape(text: str) -> str:
    """Neutralise Markdown and HTML in user text (a printed page must show it literally)."""
    text = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]|~#])", r"\\\1", text)


_MD_STYLE = {"": "{}", "muted": "_{}_", "strong": "**{}**", "box": "> **{}**"}
MD_PAGE_BREAK = '<div style="break-after: page"></div>'


def _md_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return ["#" * block.level + " " + md_escape(block.text), ""]
    if isinstance(block, Para):
        return [_MD_STYLE.get(block.style, "{}").format(md_escape(block.text)), ""]
    if isinstance(block, Items):
        if not block.items:
            return [f"_{md_escape(block.empty)}_", ""]
        out = []
        for item, subs in block.items:
            out.append(f"- {md_escape(item)}")
            out += [f"    - [ ] {md_escape(s)}" for s in subs]
        return [*out, ""]
    if isinstance(block, Facts):
        return [*(f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in block.rows), ""]
    if not block.rows:
        return [f"_{md_escape(block.empty)}_", ""]
    lines = ["| " + " | ".join(md_escape(h) for h in block.header) + " |",
             "|" + "|".join("---" for _ in block.header) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in block.rows]
    return [*lines, ""]


def to_markdown(doc: Document) -> str:
    lines = [f"# {md_escape(doc.title)}", ""]
    total = len(doc.pages)
    for number, page in enumerate(doc.pages, 1):
        for block in page:
            lines += _md_block(block)
        lines += [f"_{md_escape(doc.running)} · page {number} of {total}_", ""]
        if number < total:
            lines += [MD_PAGE_BREAK, "", "---", ""]
    if doc.notice:
        lines += ["---", "", f"**Notice:** {md_escape(doc.notice)}", ""]
    return "\n".join(lines)


# ---- HTML ----------------------------------------------------------------------------

def h(text: str) -> str:
    return html.escape(text, quote=True)


def css_string(text: str) -> str:
    """A CSS string literal holding `text` only (no quote, backslash or markup escapes it)."""
    return '"' + "".join(c if c.isalnum() or c in " .,-'()" else f"\\{ord(c):06x}"
                         for c in text) + '"'


CSS = """
@page { margin: 18mm 16mm 20mm 16mm;
        @bottom-left { content: RUNNING; font: 9pt Georgia, serif; color: #444; }
        @bottom-right { content: "page " counter(page) " of " counter(pages);
                        font: 9pt Georgia, serif; color: #444; } }
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 46em;
       margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin: 1.2em 0 0.4em; }
h3 { font-size: 1em; margin: 0.7em 0 0.1em; }
ul { margin: 0.1em 0 0.3em; padding-left: 1.4em; }
p { margin: 0.3em 0; }
.running { color: #555; font-size: 0.85em; margin: 0 0 0.6em; }
.muted, .empty { color: #555; font-style: italic; }
.strong { font-weight: bold; }
.box { border: 2px solid #333; padding: 0.4em 0.8em; font-weight: bold; }
ul.steps { list-style: none; padding-left: 1.2em; }
ul.steps li::before { content: "\\2610\\00a0"; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
.notice { border: 1px solid #000; padding: 0.5em; margin-top: 1.5em; font-size: 0.9em; }
@media print { body { margin: 0; max-width: none; padding: 0; }
               .page { break-after: page; } .page:last-of-type { break-after: auto; }
               h2, h3 { break-after: avoid; } li, tr, dl.facts { break-inside: avoid; } }
"""


def _html_block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [f"<h{block.level}>{h(block.text)}</h{block.level}>"]
    if isinstance(block, Para):
        cls = f' class="{block.style}"' if block.style else ""
        return [f"<p{cls}>{h(block.text)}</p>"]
    if isinstance(block, Items):
        if not block.items:
            return [f'<p class="empty">{h(block.empty)}</p>']
        out = ["<ul>"]
        for item, subs in block.items:
            inner = f'<ul class="steps">{"".join(f"<li>{h(s)}</li>" for s in subs)}</ul>' if subs else ""
            out.append(f"<li>{h(item)}{inner}</li>")
        return [*out, "</ul>"]
    if isinstance(block, Facts):
        return ['<dl class="facts">', *(f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in block.rows),
                "</dl>"]
    if not block.rows:
        return [f'<p class="empty">{h(block.empty)}</p>']
    head = "".join(f'<th scope="col">{h(c)}</th>' for c in block.header)
    body = ["<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in block.rows]
    return ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>", *body, "</tbody>", "</table>"]


def to_html(doc: Document) -> str:
    body = [f"<h1>{h(doc.title)}</h1>"]
    for number, page in enumerate(doc.pages, 1):
        body.append(f'<section class="page" id="page-{number}">')
        if number > 1:  # the page number itself is the printer's (@page): a part may run over
            body.append(f'<p class="running">{h(doc.running)}</p>')
        for block in page:
            body += _html_block(block)
        body.append("</section>")
    if doc.notice:
        body.append(f'<p class="notice"><strong>Notice:</strong> {h(doc.notice)}</p>')
    css = CSS.replace("RUNNING", css_string(doc.running))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{h(doc.title)}</title>\n"
            f"<style>{css}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")
