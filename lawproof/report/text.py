"""Text from claim files made safe for the formats it is written into."""
from __future__ import annotations

import re

#: characters XML 1.0 does not allow (controls other than tab, newline and carriage
#: return; surrogates; U+FFFE and U+FFFF)
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 does not allow written as a visible
    escape (`\\x01`), so that JUnit XML and SVG stay well-formed."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


#: control characters a terminal acts on (C0 but tab and newline, DEL, C1): an escape
#: sequence in a claim's `says` could retitle the window or rewrite what was printed
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """`text` with every control character a terminal would act on written as a
    visible escape (`\\x1b`), for printing text from claim files."""
    return _TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def markdown_text(text: str) -> str:
    """Plain text for a Markdown line: no HTML gets through (a `<script>` in a claim's
    `says` is shown, not run) and line breaks become spaces (a value cannot start a
    heading or a list of its own).

    Markdown reads `<` as HTML only when a letter, `/`, `!` or `?` follows it (tags,
    comments, declarations, autolinks), and `&` as a character reference only in
    `&name;`/`&#..;`: only those are escaped, so `S < S_c` and `R >= 1` stay as written.
    A `](` is written `]\\(`, so `[x](javascript:...)` is shown as text and never
    becomes a link or an image (autolinks `<javascript:...>` are tags, escaped above).
    """
    text = _ENTITY.sub("&amp;", text)
    text = _TAG.sub("&lt;", text)
    text = text.replace("](", "]\\(")
    return re.sub(r"\r\n?|\n", " ", text)


_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
