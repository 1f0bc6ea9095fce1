"""Slugs as the corpus format defines them.

``slug`` = the first 140 characters of the headline, lower-cased, every run of
characters outside ``[a-z0-9]`` replaced by ``-``, then ``-`` stripped at both
ends.
"""

from __future__ import annotations

import re

from kg.keywords import checks_keywords

__all__ = ["slugify", "SLUG_SOURCE_LENGTH"]

SLUG_SOURCE_LENGTH = 140

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@checks_keywords
def slugify(headline: str) -> str:
    """Return the page slug of a headline.

    Parameters
    ----------
    headline : str
        The event headline as written on the page.

    Returns
    -------
    str
        Only ``[a-z0-9-]``, never starting or ending with ``-``; may be empty.

    Examples
    --------
    >>> slugify("The U.S. says it will not coordinate with Iran. ")
    'the-u-s-says-it-will-not-coordinate-with-iran'
    >>> slugify("Opération Chammal")
    'op-ration-chammal'
    """
    # Lower-casing can change length ("İ" -> "i̇"), so cut first, as the site does.
    return _NON_SLUG.sub("-", headline[:SLUG_SOURCE_LENGTH].lower()).strip("-")
