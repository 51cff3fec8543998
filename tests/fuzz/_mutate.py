"""Byte and XML mutations of Office files, shared by the fuzz tests of the Star and tables readers."""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """*data* with a few bytes flipped, cut or inserted: mostly a broken zip."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del out[at:at + draw(st.integers(1, 64))]
        else:
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(out)


@st.composite
def xml_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """*data* (a zip) with one XML member edited: text cut, replaced or doubled, so openpyxl parses odd XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        members = {info.filename: book.read(info.filename) for info in book.infolist()}
    name = draw(st.sampled_from(sorted(n for n in members if n.endswith((".xml", ".rels")))))
    text = members[name]
    at = draw(st.integers(0, max(len(text) - 1, 0)))
    kind = draw(st.sampled_from(["cut", "replace", "double", "attribute"]))
    if kind == "cut":
        text = text[:at]
    elif kind == "replace":
        text = text[:at] + draw(st.sampled_from([b"<", b">", b"&", b"\"", b"9999999", b"-1", b"inf", b"NaN",
                                                 b"XFD1048576", b"<c r=\"A1\" t=\"s\"><v>99</v></c>", b""]))\
            + text[at + draw(st.integers(0, 8)):]
    elif kind == "double":
        text = text[:at] + text[at:at + 200] + text[at:]
    else:
        text = text.replace(b'r="', b'r="Z', draw(st.integers(1, 3)))
    members[name] = text
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for member, content in members.items():
            book.writestr(member, content)
    return out.getvalue()
