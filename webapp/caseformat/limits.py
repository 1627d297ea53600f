"""Limits every stored document keeps, so that no upload can make its documents, exports or pages fail later.

A list holds at most MAX_ITEMS items, `extra` nests at most MAX_EXTRA_DEPTH levels, numbers are finite. (Lone
surrogates and control characters are the character check's, in validate.py.) Every problem names its JSON path.
"""
import math
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _


MAX_ITEMS = 200
MAX_EXTRA_DEPTH = 20


def limit_problems(doc: dict, path_of) -> Iterator[tuple[str, str]]:
    """Yield (path, message) for every limit `doc` breaks; `path_of(parts)` writes a JSON path."""
    # Iterative: a hostile document nested thousands of levels deep costs no stack.
    stack: list[tuple[Any, tuple, int]] = [(doc, (), 0)]
    deep_reported = False
    while stack:
        node, parts, extra_depth = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            yield path_of(parts), _('een getal dat niet eindig is ({value}) is niet toegelaten').format(value=node)
        elif isinstance(node, list):
            if len(node) > MAX_ITEMS:
                yield path_of(parts), _('te veel items ({n}); maximaal {max}').format(n=len(node), max=MAX_ITEMS)
            children = list(enumerate(node))
        elif isinstance(node, dict):
            children = list(node.items())
        else:
            continue
        if isinstance(node, (list, dict)):
            depth = extra_depth + 1 if extra_depth or parts == ('extra',) else 0
            if depth > MAX_EXTRA_DEPTH:
                if not deep_reported:
                    yield path_of(parts), _('te diep genest; extra mag maximaal {max} niveaus diep zijn').format(
                        max=MAX_EXTRA_DEPTH)
                    deep_reported = True
                continue
            stack.extend((value, (*parts, key), depth) for key, value in reversed(children))
