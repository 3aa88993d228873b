"""Helpers of the printouts' paper layout (templates/printout/_paper.html)."""

from __future__ import annotations

from markupsafe import Markup


def css_string(value: object) -> Markup:
    """`value` as a quoted CSS string, safe inside an HTML <style> element: quotes and
    backslashes are escaped, and so is every character that could end the string or the
    element (line breaks, other control characters, `<`, `>`, `&`), as CSS hex escapes."""
    out = []
    for ch in str(value):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "<>&'" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')  # noqa: S704 - every special character is escaped
