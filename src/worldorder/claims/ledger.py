"""The claims ledger: a YAML file of testable propositions, read with the line of every key.

A ledger lists claims.  Each claim has the proposition in words, who makes
it (free text), and a test: what is measured (``quantity``), by which
measures, over which reference set (``among``) and years, and a predicate
that must hold.  An optional ``verdict`` section sets the rule that turns the
results of the test's cases into "supported", "not supported" or "depends on
the measure".  A minimal ledger::

    ledger: 1
    title: Example
    regions:
      East Asia: [CHN, JPN, ROK, PRK, TAW, MON]
    claims:
      - id: china-leads-east-asia
        claim: China is the leading state of East Asia.
        made_by: a common description of the region
        test:
          quantity: ranking
          measure: [cinc, gdp, milex]
          among: region:East Asia
          years: latest
          predicate: {type: rank, states: [CHN], top: 1}

Every problem of a ledger is reported with its file and line
(:class:`ClaimsError` lists them all at once, not only the first).  States are
checked when the ledger is evaluated, since that needs the state list.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from worldorder.claims.ledger_tests import _test, _unknown_keys, parse_years
from worldorder.claims.model import LEDGER_VERSION, Claim, ClaimsError, Ledger, VerdictRule
from worldorder.located import LocatedDocument, read_file, read_yaml

__all__ = ["load_ledger", "parse_ledger", "parse_years"]

_TOP_KEYS = ("ledger", "title", "description", "regions", "claims")
_CLAIM_KEYS = ("id", "claim", "made_by", "test", "verdict", "notes", "references")
_VERDICT_KEYS = ("supported", "not_supported")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")



# -- parsing -------------------------------------------------------------------------------------------
def load_ledger(path: str | os.PathLike) -> Ledger:
    """Read and validate a claims ledger (YAML).

    Parameters
    ----------
    path
        A ``.yaml`` or ``.yml`` file.

    Returns
    -------
    Ledger

    Raises
    ------
    ClaimsError
        Listing every problem with its file and line.
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ClaimsError(f"{path}: a ledger is a YAML file ending in .yaml or .yml.")
    return _ledger(read_file(path, "ledger"))


def parse_ledger(text: str, file: str = "<ledger>") -> Ledger:
    """Validate the YAML ``text`` of a ledger (see :func:`load_ledger`)."""
    return _ledger(read_yaml(text, file))


def _ledger(doc: LocatedDocument) -> Ledger:
    data = doc.data
    if data is None and doc.problems:
        raise ClaimsError(doc.problems)
    if not isinstance(data, dict):
        doc.problem((), "a ledger is a mapping with a 'claims' list (and optionally ledger, title, regions)")
        raise ClaimsError(doc.problems)
    _unknown_keys(doc, data, (), _TOP_KEYS)
    version = data.get("ledger", LEDGER_VERSION)
    if version != LEDGER_VERSION:
        doc.problem(("ledger",), f"this worldorder reads ledger format {LEDGER_VERSION}, not {version!r}")
    title = _text(doc, data, ("title",), required=False)
    description = _text(doc, data, ("description",), required=False)
    regions = _regions(doc, data.get("regions"))
    claims_data = data.get("claims")
    claims: list[Claim] = []
    if claims_data is None:
        doc.problem(("claims",), "the ledger has no 'claims' list")
    elif not isinstance(claims_data, list) or not claims_data:
        doc.problem(("claims",), "'claims' must be a non-empty list of claims (each starting with '- id: ...')")
    else:
        seen: dict[str, int] = {}
        for i, item in enumerate(claims_data):
            claim_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(claim_id, str) and claim_id in seen:
                doc.problem(("claims", i, "id"), f"the id {claim_id!r} is used twice (first by claim {seen[claim_id] + 1})")
            elif isinstance(claim_id, str):
                seen[claim_id] = i
            claim = _claim(doc, item, ("claims", i), regions)
            if claim is not None:
                claims.append(claim)
    if doc.problems:
        raise ClaimsError(sorted(doc.problems, key=lambda p: (p.line or 0)))
    return Ledger(claims=claims, title=title, description=description, regions=regions, file=doc.file, lines=doc.lines, version=LEDGER_VERSION)


def _text(doc, data: dict, path: tuple, required: bool = True) -> str:
    key = path[-1]
    value = data.get(key)
    if value is None:
        if required:
            doc.problem(path, f"'{key}' is required")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        doc.problem(path, f"'{key}' must be text")
        return ""
    return str(value).strip()


def _regions(doc: LocatedDocument, data) -> dict[str, list]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        doc.problem(("regions",), "'regions' must map each region name to a list of states")
        return {}
    out = {}
    for name, states in data.items():
        path = ("regions", name)
        if not isinstance(states, list) or not states:
            doc.problem(path, f"region {name!r} must be a non-empty list of states (abbreviations, names or COW codes)")
            continue
        bad = [s for s in states if not isinstance(s, (str, int)) or isinstance(s, bool)]
        if bad:
            doc.problem(path, f"region {name!r}: {bad[0]!r} is not a state name, abbreviation or COW code")
            continue
        out[str(name)] = list(states)
    return out


def _claim(doc: LocatedDocument, item, path: tuple, regions: dict) -> Claim | None:
    if not isinstance(item, dict):
        doc.problem(path, "each claim is a mapping with id, claim, made_by and test")
        return None
    _unknown_keys(doc, item, path, _CLAIM_KEYS)
    claim_id = _text(doc, item, path + ("id",))
    if claim_id and not _ID.match(claim_id):
        doc.problem(path + ("id",), f"the id {claim_id!r} must be one word of letters, digits, '-', '_' or '.'")
    text = _text(doc, item, path + ("claim",))
    made_by = _text(doc, item, path + ("made_by",), required=False) or "not stated"
    notes = _text(doc, item, path + ("notes",), required=False)
    references = item.get("references") or []
    if not isinstance(references, list):
        references = [references]
    references = tuple(str(r) for r in references)
    test = _test(doc, item.get("test"), path + ("test",), regions)
    verdict = _verdict(doc, item.get("verdict"), path + ("verdict",))
    if not claim_id or not text or test is None or verdict is None:
        return None
    return Claim(claim_id, text, made_by, test, verdict, notes, references, doc.line(path))


def _verdict(doc: LocatedDocument, data, path: tuple) -> VerdictRule | None:
    if data is None:
        return VerdictRule()
    if not isinstance(data, dict):
        doc.problem(path, "'verdict' must be a mapping with 'supported' and/or 'not_supported'")
        return None
    _unknown_keys(doc, data, path, _VERDICT_KEYS)
    values = {}
    for key, words in (("supported", ("all", "any", "majority")), ("not_supported", ("none", "minority"))):
        value = data.get(key, "all" if key == "supported" else "none")
        if isinstance(value, str) and value in words:
            values[key] = value
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
            values[key] = float(value)
        else:
            doc.problem(path + (key,), f"'{key}' must be {', '.join(words)} or a share between 0 and 1, not {value!r}")
            return None
    rule = VerdictRule(**values)
    if isinstance(rule.supported, float) and isinstance(rule.not_supported, float) and rule.not_supported >= rule.supported:
        doc.problem(path, "'not_supported' must be a smaller share than 'supported'")
        return None
    return rule
