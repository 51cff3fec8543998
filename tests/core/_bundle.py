"""Inline the published schemas into one self-contained schema, for generators that cannot follow `$ref`s."""

from __future__ import annotations

import copy
from typing import Any

from sharedoutcomes import schema


def bundled(name: str = "package") -> dict[str, Any]:
    """The schema *name* with every `$ref` rewritten to a local `#/$defs/...`."""
    defs: dict[str, Any] = {}

    def local(ref: str) -> str:
        file, _, fragment = ref.partition("#")
        target = file.removesuffix(".schema.json")
        if fragment:
            key = f"{target}__{fragment.rsplit('/', 1)[-1]}"
            if key not in defs:
                defs[key] = {}
                defs[key] = rewrite(copy.deepcopy(schema.get_schema(target)["$defs"][fragment.rsplit("/", 1)[-1]]))
        else:
            key = target
            if key not in defs:
                defs[key] = {}
                body = copy.deepcopy(schema.get_schema(target))
                for drop in ("$id", "$schema"):
                    body.pop(drop)
                defs[key] = rewrite(body)
        return f"#/$defs/{key}"

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (local(v) if k == "$ref" else rewrite(v)) for k, v in node.items()
                    if k not in ("codelist", "openCodelist")}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    root = rewrite(copy.deepcopy(schema.get_schema(name)))
    root.pop("$id")
    root["$defs"] = defs
    return root
