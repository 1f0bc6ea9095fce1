"""A page's bytes as text: the encodings a page may come in, and what is said of them.

The format's pages are UTF-8.  :func:`decode_page` drops a byte-order mark,
reads CRLF and CR line ends as LF, and replaces bytes that are not UTF-8,
saying so (``not-utf8``); a page an editor saved as UTF-16 or UTF-32 with its
byte-order mark (:func:`wide_codec`) is read as such and said to be
(``utf16-file``), and so is one in Windows-1252 (Latin-1's superset: ``cp1252-file``),
which holds no UTF-8 sequence (:func:`is_cp1252`); an empty page or one of binary
data is no page.
"""

from __future__ import annotations

import codecs
import re

from kg.diagnostics import Diagnostic, diagnostic

__all__ = ["decode_page", "is_cp1252", "wide_codec"]


#: Byte-order marks of the wide encodings -> the codec that reads (and drops) them; UTF-32's
#: first, as its little-endian mark begins with UTF-16's.
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def wide_codec(data: bytes) -> str | None:
    """The codec of a file in UTF-16 or UTF-32 by its byte-order mark (``None``: no such mark).

    Parameters
    ----------
    data : bytes
        A page's bytes, as read.

    Returns
    -------
    str or None
        ``"utf-16"`` or ``"utf-32"`` (codecs that read the mark and drop it),
        when the mark is there with the NUL bytes that such a page's ASCII
        has; ``None`` otherwise (UTF-8, or bytes to be read as UTF-8).

    Examples
    --------

    >>> wide_codec("# Hi".encode("utf-16")), wide_codec("# Hi".encode("utf-32")), wide_codec(b"# Hi")
    ('utf-16', 'utf-32', None)
    >>> wide_codec(b"\\xff\\xfe\\x00\\x00" + "# Hi".encode("utf-16-le"))  # UTF-16: a NUL character first
    'utf-16'
    >>> wide_codec("\\xff\\xfe Café".encode("cp1252")) is None  # no NUL: not UTF-16
    True
    """
    for bom, codec in _WIDE_BOMS:
        # The mark alone proves little (a cp1252 page may begin "ÿþ"): markdown's ASCII holds NUL
        # bytes in these encodings, and UTF-32's every unit is a code point (else UTF-16's mark and a NUL
        # character, say).
        if data.startswith(bom) and b"\x00" in data[len(bom):] and (codec == "utf-16" or _reads_as_utf32(data)):
            return codec
    return None


def _reads_as_utf32(data: bytes) -> bool:
    """Whether bytes with UTF-32's mark read as UTF-32 text: a damaged unit or two among them is replaced, as
    UTF-16's and UTF-8's are, while UTF-16 text read so is nearly all units past U+10FFFF."""
    text = data.decode("utf-32", errors="replace")
    return "\x00" not in text and 2 * text.count("\ufffd") < len(text)


#: A whole UTF-8 sequence of two, three or four bytes: a lead byte and its continuation bytes.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

#: The five bytes that Windows-1252 leaves undefined.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def is_cp1252(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as Windows-1252: no whole UTF-8 sequence is among them.

    A legacy 8-bit page ("Café" saved as Latin-1) has its accented letters
    beside ASCII or punctuation ("Café\u2019s" is ``E9 92 73``: a lead byte, a
    continuation byte, then none); a UTF-8 page, even a damaged one, holds a
    whole sequence somewhere (``é`` is ``C3 A9``), which Windows-1252 text
    seldom does (``Ã©``).  Call it on bytes that failed to decode as UTF-8.

    Parameters
    ----------
    data : bytes
        A page's bytes, as read (no NUL byte: not UTF-16).

    Returns
    -------
    bool
        ``True`` when no pair of bytes looks like the start of a UTF-8
        sequence.

    Examples
    --------
    >>> is_cp1252("Café\\u2019s, naïve «».".encode("cp1252")), is_cp1252(b"caf\\xc3\\xa9, truncated \\xe2\\x82")
    (True, False)
    """
    return _UTF8_SEQUENCE.search(data) is None


def decode_page(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode the bytes of a page; say what was wrong with them.

    Examples
    --------
    >>> decode_page(b"\\xef\\xbb\\xbf# Hi\\r\\n", "p.md")
    ('# Hi\\n', [])
    >>> text, problems = decode_page(b"# Caf\\xe9\\n", "p.md")  # Latin-1
    >>> text, [d.code for d in problems]
    ('# Café\\n', ['cp1252-file'])
    >>> text, problems = decode_page(b"# Caf\\xc3\\xa9 \\xe9\\n", "p.md")  # UTF-8, and a byte that is not
    >>> text, [d.code for d in problems]
    ('# Café \\ufffd\\n', ['not-utf8'])
    >>> text, problems = decode_page("# Hi\\r\\n".encode("utf-16"), "p.md")
    >>> text, [d.code for d in problems]
    ('# Hi\\n', ['utf16-file'])
    """
    problems: list[Diagnostic] = []
    if not data.strip():
        return None, [diagnostic(path, 0, "empty-file", "no content")]
    wide = wide_codec(data)
    if wide is not None:
        # Saved as UTF-16 (or 32) by an editor: every other byte is NUL, yet it is text, and its
        # byte-order mark says how to read it.
        text = data.decode(wide, errors="replace")  # (the codec drops the mark)
        if "\x00" in text:
            return None, [diagnostic(path, 0, "binary-file", f"NUL characters in a {wide.upper()} file: "
                                                             "not a text page")]
        bad = text.count("\ufffd") - data.decode(wide, errors="ignore").count("\ufffd")
        problems.append(diagnostic(path, 0, "utf16-file", f"{wide.upper()} (its byte-order mark says so), read as "
                                   "such; the format's pages are UTF-8"
                                   + (f"; {bad} invalid sequence(s) replaced by U+FFFD" if bad else "")))
        if not text.strip():
            return None, [*problems, diagnostic(path, 0, "empty-file", "no content")]
        return _lf(text), problems
    if b"\x00" in data:
        return None, [diagnostic(path, 0, "binary-file", "NUL bytes: not a text page")]
    mark = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[mark:]
    if not data.strip():  # (a byte-order mark alone)
        return None, [diagnostic(path, 0, "empty-file", "no content")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = _line_at(data, err.start)
        if is_cp1252(data):
            # An 8-bit page: its letters are kept rather than each replaced by U+FFFD.
            text = data.decode("cp1252", errors="replace")
            undefined = len(_CP1252_UNDEFINED.findall(data))
            problems.append(diagnostic(path, line, "cp1252-file",
                                       f"no UTF-8 in it (byte {mark + err.start}, 0x{data[err.start]:02x}, the first "
                                       "that is not): read as Windows-1252; the format's pages are UTF-8"
                                       + (f"; {undefined} byte(s) that it leaves undefined replaced by U+FFFD"
                                          if undefined else "")))
            return _lf(text), problems
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        problems.append(diagnostic(path, line, "not-utf8",
                                   f"{bad} invalid UTF-8 sequence(s), the first at byte {mark + err.start} "
                                   f"(0x{data[err.start]:02x}); replaced by U+FFFD"))
    return _lf(text), problems


def _line_at(data: bytes, offset: int) -> int:
    r"""The line (from 1) that byte ``offset`` of ``data`` is on, its lines ended as :func:`_lf` ends them.

    >>> _line_at(b"a\r\rb\r\nc\nd", 9), _line_at(b"a\r\nb", 4)
    (5, 2)
    """
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _lf(text: str) -> str:
    """``text`` with CRLF and CR line ends read as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
