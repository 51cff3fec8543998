"""
The problem catalogue: every id the library emits is declared once, explained, and re-gradable.

Two checks keep code and catalogue together. A static scan of ``src/`` finds every problem id
the code can emit (string literals given as ``rule=`` or to a problem-building helper, and
f-string families such as ``schema.{keyword}``) and compares them with the catalogue both ways.
At run time, ``tests/conftest.py`` records the rule of every `Problem` the library builds during
the whole session, and fails the run if one is not catalogued.
"""

from __future__ import annotations

import ast
import io
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import sharedoutcomes
from sharedoutcomes import ValidationProfile
from sharedoutcomes._devtools.problem_docs import FOLDER, render
from sharedoutcomes.cli import main
from sharedoutcomes.forms import FORM_RULES, read_form
from sharedoutcomes.problems import FAMILY_ORDER, Problem, catalogue, families, load_catalogue
from sharedoutcomes.validation import explain, rules
from sharedoutcomes.validation._context import rule_table

SRC = Path(sharedoutcomes.__file__).parent
CATALOGUE = SRC / "problems" / "catalogue"


# -- the static scan ---------------------------------------------------------------------------


@dataclass
class _Builder:
    """A callable that builds a problem from a rule id: where that id is among its arguments, and its prefix."""

    index: int
    prefix: str = ""
    default: str | None = None


@dataclass
class _Scan:
    ids: dict[str, set[str]] = field(default_factory=dict)  # id → where it is emitted
    families: dict[str, set[str]] = field(default_factory=dict)  # f-string prefix → where

    def add(self, rule: str, where: str) -> None:
        self.ids.setdefault(rule, set()).add(where)


def _builder(function: ast.FunctionDef | ast.AsyncFunctionDef, *, method: bool) -> _Builder | None:
    """The builder a function is, when it takes a ``rule`` (its prefix from ``rule=f"prefix{rule}"``)."""
    params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if method and params and params[0] in ("self", "cls"):
        params = params[1:]
    if "rule" not in params:
        return None
    prefix = ""
    for node in ast.walk(function):
        if isinstance(node, ast.keyword) and node.arg == "rule" and isinstance(node.value, ast.JoinedStr):
            head, *rest = node.value.values
            if (isinstance(head, ast.Constant) and len(rest) == 1 and isinstance(rest[0], ast.FormattedValue)
                    and isinstance(rest[0].value, ast.Name) and rest[0].value.id == "rule"):
                prefix = str(head.value)
    defaults = [*function.args.defaults]
    positional = [*function.args.posonlyargs, *function.args.args]
    default = None
    for arg, value in zip(positional[len(positional) - len(defaults):], defaults, strict=True):
        if arg.arg == "rule" and isinstance(value, ast.Constant) and isinstance(value.value, str):
            default = value.value
    return _Builder(index=params.index("rule"), prefix=prefix, default=default)


@dataclass
class _Module:
    name: str
    tree: ast.Module
    functions: dict[str, _Builder] = field(default_factory=dict)  # every def in the module, nested too
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)  # local name → (module, name)


def _modules(sources: dict[str, str]) -> dict[str, _Module]:
    modules = {}
    for name, text in sources.items():
        module = _Module(name, ast.parse(text))
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    module.imported[alias.asname or alias.name] = (node.module, alias.name)
        modules[name] = module
    return modules


def _builders(modules: dict[str, _Module]) -> tuple[dict[str, set[str]], dict[str, _Builder]]:
    """Fill each module's functions; return the methods' and classes' builders by name (the same everywhere)."""
    methods: dict[str, set[str]] = {}
    attributes: dict[str, _Builder] = {}
    for module in modules.values():
        in_classes = {id(item) for node in ast.walk(module.tree) if isinstance(node, ast.ClassDef)
                      for item in node.body}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and (found := _builder(item, method=True)):
                        if item.name == "__init__":
                            module.functions[node.name] = found
                            attributes[node.name] = found
                        else:
                            methods.setdefault(item.name, set()).add(found.prefix)
                            attributes[item.name] = found
            elif (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and id(node) not in in_classes
                  and (found := _builder(node, method=False))):
                module.functions.setdefault(node.name, found)
        for node in module.tree.body:
            if isinstance(node, ast.FunctionDef) and (found := _builder(node, method=False)):
                methods.setdefault(node.name, set()).add(found.prefix)
                attributes.setdefault(node.name, found)
    return methods, attributes


def _strings(node: ast.expr, prefix: str, where: str, scan: _Scan, *, own: bool) -> None:
    """The ids an argument can be: constants (in either branch of a conditional) and f-string families."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        scan.add(prefix + node.value, where)
    elif isinstance(node, ast.IfExp):
        _strings(node.body, prefix, where, scan, own=own)
        _strings(node.orelse, prefix, where, scan, own=own)
    elif isinstance(node, ast.JoinedStr) and not own:
        head = node.values[0]
        if isinstance(head, ast.Constant) and isinstance(head.value, str):
            scan.families.setdefault(head.value, set()).add(where)


def _resolve(call: ast.Call, module: _Module, modules: dict[str, _Module],
             methods: dict[str, set[str]], attributes: dict[str, _Builder]) -> _Builder | None:
    func = call.func
    if isinstance(func, ast.Name):
        if func.id in module.functions:
            return module.functions[func.id]
        source, name = module.imported.get(func.id, ("", ""))
        return modules[source].functions.get(name) if source in modules else None
    if isinstance(func, ast.Attribute) and func.attr in attributes:
        prefixes = methods.get(func.attr, {attributes[func.attr].prefix})
        assert len(prefixes) == 1, f"{module.name}: builders called {func.attr!r} differ in prefix: {prefixes}"
        return attributes[func.attr]
    return None


def scan_sources(sources: dict[str, str]) -> _Scan:
    """Every problem id the modules in *sources* (module name → source text) can emit."""
    modules = _modules(sources)
    methods, attributes = _builders(modules)
    scan = _Scan()
    for module in modules.values():
        for builder in module.functions.values():
            if builder.default is not None:
                scan.add(builder.prefix + builder.default, module.name)
        for node in ast.walk(module.tree):
            where = f"{module.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "rule" for t in node.targets):
                _strings(node.value, "", where, scan, own=False)
            if not isinstance(node, ast.Call):
                continue
            keyword = next((k.value for k in node.keywords if k.arg == "rule"), None)
            if isinstance(node.func, ast.Name) and node.func.id == "Problem":
                if keyword is not None:
                    _strings(keyword, "", where, scan, own=_passes_rule_on(keyword))
                continue
            builder = _resolve(node, module, modules, methods, attributes)
            if builder is None:
                continue
            argument = node.args[builder.index] if len(node.args) > builder.index else keyword
            if argument is not None:
                _strings(argument, builder.prefix, where, scan, own=False)
    return scan


def _passes_rule_on(node: ast.expr) -> bool:
    """``rule=f"prefix{rule}"`` inside a builder: the builder's own prefix, not a family."""
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) and v.value.id == "rule"
        for v in node.values)


def _source_modules() -> dict[str, str]:
    return {".".join(path.relative_to(SRC.parent).with_suffix("").parts): path.read_text(encoding="utf-8")
            for path in sorted(SRC.rglob("*.py"))}


@pytest.fixture(scope="module")
def emitted() -> _Scan:
    return scan_sources(_source_modules())


def test_every_id_the_code_emits_is_in_the_catalogue(emitted: _Scan) -> None:
    missing = {rule: sorted(where) for rule, where in emitted.ids.items() if rule not in catalogue()}

    assert missing == {}, "add these problem ids to src/sharedoutcomes/problems/catalogue/*.toml"


def test_every_f_string_family_has_catalogued_members(emitted: _Scan) -> None:
    assert set(emitted.families) == {"schema."}
    for prefix in emitted.families:
        assert any(rule.startswith(prefix) for rule in catalogue()), prefix


def test_every_catalogued_id_is_emitted_somewhere(emitted: _Scan) -> None:
    """No stale entries: each id is emitted as a literal, or is a member of an f-string family."""
    stale = [rule for rule in catalogue()
             if rule not in emitted.ids and not any(rule.startswith(prefix) for prefix in emitted.families)]

    assert stale == []


def test_the_scan_finds_ids_in_every_shape_the_code_writes_them() -> None:
    source = '''
from somewhere import Problem

class Reader:
    def problem(self, rule, severity, message):
        self.problems.append(Problem(rule=rule, severity=severity, path="$", message=message))

    def read(self):
        self.problem("fake.method-call", "error", "m")

class FakeError(ValueError):
    def __init__(self, rule, reason):
        self.rule = rule

def _problem(rule, path, message, severity="warning"):
    return Problem(rule=rule, severity=severity, path=path, message=message)

def _link(ctx, path, rule="fake-default"):
    return _problem(rule, path, "m")

def check(flag, error, keyword):
    def problem(rule, where):
        return Problem(rule=f"fake-nested.{rule}", severity="warning", path="$", message="m")
    problem("suffix", ())
    _problem("fake-a" if flag else "fake-b", "$", "m", "error")
    yield Problem(rule="fake-direct", severity="error", path="$", message="m")
    yield Problem(rule=f"fake-family.{keyword}", severity="error", path="$", message="m")
    rule = "fake-assigned" if flag else "fake-other"
    raise FakeError("fake-raised", "reason")
'''
    scan = scan_sources({"fake": source})

    assert set(scan.ids) == {"fake.method-call", "fake-default", "fake-nested.suffix", "fake-a", "fake-b",
                             "fake-direct", "fake-assigned", "fake-other", "fake-raised"}
    assert set(scan.families) == {"fake-family."}


# -- the runtime check -------------------------------------------------------------------------


def test_the_session_records_the_problems_the_library_builds(emitted_problem_ids: Any) -> None:
    namespace = {"__name__": "sharedoutcomes.fake", "Problem": Problem}
    code = compile('Problem(rule="zz-not-catalogued", severity="error", path="$", message="m")',
                   str(SRC / "fake.py"), "exec")

    exec(code, namespace)  # as if a module of the library built it
    Problem(rule="zz-from-a-test", severity="error", path="$", message="m")  # a test's own: not recorded

    assert "zz-not-catalogued" in emitted_problem_ids.seen
    assert "zz-from-a-test" not in emitted_problem_ids.seen
    assert "zz-not-catalogued" in emitted_problem_ids.unknown()
    emitted_problem_ids.seen.pop("zz-not-catalogued")  # it was only a check that the recorder works


# -- the catalogue's contents ------------------------------------------------------------------


def test_the_families_and_their_counts() -> None:
    counts = {name: len(family.ids) for name, family in families().items()}

    assert list(counts) == list(FAMILY_ORDER)
    assert counts == {"schema": 16, "input": 6, "semantic": 18, "form": 19, "star": 21, "star-analysis": 6,
                      "tables": 9, "merge": 4, "rollup": 10, "conversion": 3,
                      "instrument": 6, "survey": 10, "indigo": 14, "privacy": 4, "threesixtygiving": 12}
    assert sum(counts.values()) == len(catalogue())


def test_the_schema_family_is_every_keyword_our_schemas_use_that_reports_errors() -> None:
    """``schema.<keyword>`` for each keyword in the published and reference-data schemas that fails on its own."""
    reporting = {"additionalProperties", "const", "contains", "dependentRequired", "enum", "exclusiveMaximum",
                 "exclusiveMinimum", "format", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
                 "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "anyOf", "pattern",
                 "propertyNames", "required", "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems"}
    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                used.add(key)
                if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
                    for sub in value.values():
                        walk(sub)
                elif key not in ("examples", "enum", "const", "required", "default"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (SRC / "schemas").rglob("*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))

    assert {f"schema.{keyword}" for keyword in used & reporting} == set(families()["schema"].ids)


def test_rules_is_the_semantic_family_and_the_rule_table_a_view_of_it() -> None:
    semantic = families()["semantic"].ids

    assert list(rules()) == list(semantic) == list(rule_table())
    assert sharedoutcomes.rules() == rules()
    assert all(rule_table()[rule].severity == catalogue()[rule].severity for rule in semantic)
    assert rules()["period-order"] == "A period does not end before it starts."


def test_form_rules_say_what_the_catalogue_says() -> None:
    kinds = catalogue()
    expected = {rule: f"{kinds[rule].summary.removesuffix('.')} ({kinds[rule].severity})."
                for rule in families()["form"].ids}

    assert dict(FORM_RULES) == expected
    assert list(FORM_RULES) == list(expected)


def test_every_entry_is_written_out() -> None:
    for kind in catalogue().values():
        assert kind.summary.endswith("."), kind.id
        assert "\n" not in kind.summary, kind.id
        assert len(kind.explanation) > 80, kind.id
        assert kind.example, kind.id
        assert kind.action, kind.id
        assert kind.url.endswith(f"/problems/{kind.family}.html#problem-{kind.id.lower().replace('.', '-')}")


def test_the_anchor_of_each_url_is_the_one_sphinx_makes() -> None:
    nodes = pytest.importorskip("docutils.nodes")

    for kind in catalogue().values():
        assert kind.url.rsplit("#", 1)[1] == nodes.make_id(kind.anchor), kind.id


def test_explain_suggests_the_closest_id() -> None:
    assert explain("star.future-date").severity == "error"
    with pytest.raises(sharedoutcomes.UnknownRule, match=re.escape("Did you mean 'form.not-a-number'")):
        explain("form.not-a-numbr")
    with pytest.raises(LookupError, match="sharedoutcomes rules"):
        explain("nothing-like-any-id")


# -- the loader's checks -----------------------------------------------------------------------


@pytest.fixture
def copy_of_the_catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("form.toml", 'severity = "error"', 'severity = "fatal"', "must be 'error' or 'warning'"),
    ("form.toml", 'id = "form.not-a-number"', 'id = "form.required"', "declared twice"),
    ("form.toml", 'id = "form.not-a-number"', 'id = "forms.not-a-number"', "start with 'form.'"),
    ("semantic.toml", 'id = "period-order"', 'id = "merge-period-order"', "family's"),
    ("semantic.toml", 'id = "period-order"', 'id = "Period Order"', "lower-case words"),
    ("merge.toml", "[[problem]]\nid", "[[problem]]\nunknown = 'x'\nid", "unknown fields ['unknown']"),
    ("rollup.toml", 'summary = "No values', 'summery = "No values', "missing fields ['summary']"),
    ("star.toml", 'summary = "A reading has no date."', 'summary = "A reading has no date"', "full stop"),
    ("tables.toml", 'name = "tables"', 'name = "table"', "named after its file"),
    ("input.toml", "[family]", "[oops]\nx = 1\n\n[family]", "[family] table and [[problem]] tables only"),
    ("schema.toml", 'id = "schema.type"', 'id = "schema.type', "cannot read the problem catalogue"),
])
def test_the_loader_refuses_a_malformed_catalogue(copy_of_the_catalogue: Path, file: str, old: str, new: str,
                                                  message: str) -> None:
    _edit(copy_of_the_catalogue / file, old, new)

    with pytest.raises(ValueError, match=re.escape(message)):
        load_catalogue(copy_of_the_catalogue)


def test_the_loader_needs_one_file_per_family(copy_of_the_catalogue: Path) -> None:
    (copy_of_the_catalogue / "rollup.toml").rename(copy_of_the_catalogue / "rollups.toml")

    with pytest.raises(ValueError, match=r"missing \['rollup.toml'\], unexpected \['rollups.toml'\]"):
        load_catalogue(copy_of_the_catalogue)


def test_the_bundled_catalogue_loads_from_a_folder_too() -> None:
    loaded_families, kinds = load_catalogue(CATALOGUE)

    assert dict(kinds) == dict(catalogue())
    assert list(loaded_families) == list(families())


# -- profiles re-grade any problem but the schema's --------------------------------------------


@pytest.fixture(scope="module")
def form_problems(tmp_path_factory: pytest.TempPathFactory) -> tuple[Problem, ...]:
    """The problems of a return typed badly, as the forms tests type them: a question the profile lacks, words for numbers."""
    path = tmp_path_factory.mktemp("forms") / "irvine-arts.json"
    path.write_text(json.dumps({
        "answers": {"Organisation name": "Irvine Community Arts", "Charity no": "SC038123",
                    "Project name": "Connect and Create", "Period from": "1 April 2024", "Period to": "30/06/2024",
                    "Favourite biscuit": "Tunnock's teacake", "Volunteers": "five"},
        "tables": {"Outcomes": [{"Outcome no.": "1", "Outcome": "People feel less isolated", "NHWO": "4"}],
                   "Indicators": [{"Outcome no.": "1", "Indicator": "People reporting less isolation",
                                   "Target": "20 people", "Actual": "12"}]}}), encoding="utf-8")
    return read_form(path, produced="2024-07-15T10:00:00Z").problems


def test_a_profile_regrades_a_form_problem(form_problems: tuple[Problem, ...]) -> None:
    strict = ValidationProfile(name="strict", severities={"form.unmapped-answer": "error",
                                                          "form.not-a-number": "off"})

    regraded = list(strict.apply(form_problems))

    unmapped = [p for p in form_problems if p.rule == "form.unmapped-answer"]
    assert unmapped
    assert all(p.severity == "warning" for p in unmapped)
    assert [p.severity for p in regraded if p.rule == "form.unmapped-answer"] == ["error"] * len(unmapped)
    assert any(p.rule == "form.not-a-number" for p in form_problems)
    assert not any(p.rule == "form.not-a-number" for p in regraded)
    others = [p for p in form_problems if p.rule not in strict.severities]
    assert [p for p in regraded if p.rule not in strict.severities] == others


def test_a_profile_accepts_every_catalogued_id_but_the_schemas() -> None:
    gradable = {rule: "warning" for rule, kind in catalogue().items() if kind.family != "schema"}

    profile = ValidationProfile(severities=gradable)  # type: ignore[arg-type]

    assert all(profile.severity_of(rule) == "warning" for rule in gradable)
    with pytest.raises(sharedoutcomes.UnknownRule) as refused:
        ValidationProfile(severities={"schema.required": "warning"})
    assert "is a schema rule" in str(refused.value.__cause__)
    with pytest.raises(sharedoutcomes.UnknownRule, match=re.escape("Did you mean 'star.missing-score'")):
        ValidationProfile(severities={"star.missing-scores": "off"})


def test_severity_of_falls_back_to_the_catalogued_default() -> None:
    profile = ValidationProfile()

    assert profile.severity_of("form.unmapped-answer") == "warning"
    assert profile.severity_of("rollup-undated") == "error"
    assert profile.severity_of("small-cohort-in-public") == "warning"
    assert profile.severity_of("visits.bad-row") == "error"  # a plugin's own id: not catalogued


# -- the command line --------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_rules_lists_every_catalogued_id_with_its_family_and_severity() -> None:
    code, text = _run("rules")
    lines = text.splitlines()

    assert code == 0
    assert [line.split()[0] for line in lines] == list(catalogue())
    assert lines[0].split()[:3] == ["schema.required", "schema", "error"]


def test_rules_filters_by_family() -> None:
    code, text = _run("rules", "--family", "form")

    assert code == 0
    assert [line.split()[0] for line in text.splitlines()] == list(families()["form"].ids)


def test_rules_explains_one_id_with_its_link() -> None:
    code, text = _run("rules", "form.not-a-number")
    kind = catalogue()["form.not-a-number"]

    assert code == 0
    assert text.startswith("form.not-a-number: A number answer is not a number.\n")
    assert "family:    form (Form problems)" in text
    assert "severity:  error by default" in text
    for heading in ("What it means", "Example", "What to do"):
        assert f"\n{heading}\n" in text
    assert text.rstrip().endswith(kind.url)


def test_rules_speaks_json() -> None:
    code, text = _run("rules", "--format", "json", "--family", "merge")
    code_one, one = _run("rules", "--format", "json", "rollup-no-values")

    assert (code, code_one) == (0, 0)
    assert [entry["id"] for entry in json.loads(text)] == list(families()["merge"].ids)
    assert json.loads(one) == catalogue()["rollup-no-values"].to_dict()


@pytest.mark.parametrize(("argv", "hint"), [
    (("rules", "form.not-a-numbr"), "Did you mean 'form.not-a-number'?"),
    (("rules", "--family", "frm"), "Did you mean 'form'?"),
])
def test_rules_refuses_an_unknown_id_or_family(argv: tuple[str, ...], hint: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(*argv)

    assert code == 2
    assert text == ""
    assert hint in capsys.readouterr().err


# -- the reference pages -----------------------------------------------------------------------


def test_the_reference_pages_are_what_the_generator_writes() -> None:
    pages = render()

    assert sorted(p.name for p in FOLDER.glob("*.md")) == sorted(pages), \
        "run: python -m sharedoutcomes._devtools.problem_docs"
    for name, text in pages.items():
        assert (FOLDER / name).read_text(encoding="utf-8") == text, \
            f"run: python -m sharedoutcomes._devtools.problem_docs ({name})"


def test_each_page_has_an_anchor_per_id() -> None:
    pages = render()

    for kind in catalogue().values():
        assert f"\n({kind.anchor})=\n" in pages[f"{kind.family}.md"], kind.id
