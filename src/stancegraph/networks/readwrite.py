"""Readers and writers of networks and statements: GraphML, GEXF, CSV, JSON and DNA databases.

Networks
    :func:`write_network` writes one graph or a sequence of time windows in any format;
    the format-specific writers return the paths they wrote. GraphML and GEXF carry no
    lists, so the list attributes (``concepts``, ``actors``, ``statements``, ``polarities``)
    are written as ``"; "``-joined text; JSON (networkx node-link data) keeps them as lists.
    A window sequence is one dynamic GEXF file (node and edge spells, the per-window weight
    as the dynamic attribute ``window_weight``), one JSON file of windows, one long CSV edge
    and node list with the window dates as columns, or one GraphML file per window.

DNA databases
    :func:`write_dna` writes statements into a new database in the format of the Discourse
    Network Analyzer 3 (SQLite; the same tables and columns as DNA's own sample): one
    document per article, one "DNA Statement" per stance, with the actor in ``organization``
    (DNA's and rDNA's default variable; the actor's type is the entity's ``Type``),
    ``concept``, ``agreement`` and the added integer variable ``confidence`` (per cent). The statements belong to a coder
    named "stancegraph"; the database's ``Admin`` coder has the password given (DNA asks
    for it on opening), so a researcher can open the automatic coding in DNA and correct
    it. :func:`read_dna` reads every statement of a DNA database (hand-coded ones
    included) and :func:`dna_statements` turns its DNA Statements into a statement table,
    to compare with :func:`compare_codings`. DNA's offsets count UTF-16 code units (Java
    strings); they are converted to and from Python's code points.

Example
-------
>>> import tempfile, networkx as nx
>>> graph = nx.Graph()
>>> graph.add_edge("actor:a", "actor:b", weight=2.0, concepts=["tax", "war"])
>>> path = Path(tempfile.mkdtemp()) / "net.graphml"
>>> _ = write_network(graph, path, "graphml")
>>> nx.read_graphml(path).edges["actor:a", "actor:b"]["concepts"]
'tax; war'
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import networkx as nx
import numpy as np
import pandas as pd

from stancegraph.errors import NetworkError
from stancegraph.networks.build import Window
from stancegraph.networks.statements import statements_frame

__all__ = [
    "DNA_VERSION",
    "FORMATS",
    "LIST_SEPARATOR",
    "CodingComparison",
    "DnaDatabase",
    "compare_codings",
    "dna_password_hash",
    "dna_password_matches",
    "dna_statements",
    "flat_graph",
    "network_matrix",
    "read_dna",
    "read_gexf",
    "read_graphml",
    "read_json",
    "write_csv",
    "write_dl",
    "write_dna",
    "write_events",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_matrix",
    "write_network",
    "write_pajek",
]

FORMATS = ("graphml", "gexf", "csv", "json", "pajek", "dl", "matrix", "dna", "events")
LIST_SEPARATOR = "; "
DNA_VERSION = ("3.1.2", "2026-06-30")
"""The DNA version and date written into a new database's SETTINGS, as DNA 3.1.2 writes them."""

Networks: TypeAlias = nx.Graph | Sequence[Window]


# --------------------------------------------------------------------------------------
# networks


def _plain(value: Any) -> Any:
    """An attribute value GraphML and GEXF can hold."""
    if isinstance(value, (list, tuple, set)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, dt.date)):
        return value.isoformat()[:10]
    return value


def flat_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` with list attributes joined by ``"; "`` and empty values dropped."""
    flat = nx.Graph()
    flat.graph.update({k: _plain(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _plain(v) for k, v in data.items() if v is not None})
        if "name" in data:
            flat.nodes[node].setdefault("label", data["name"])
    for u, v, data in graph.edges(data=True):
        flat.add_edge(u, v, **{k: _plain(value) for k, value in data.items() if value is not None})
    return flat


def _is_windows(networks: Networks) -> bool:
    return not isinstance(networks, nx.Graph)


def _check_writable(path: Path) -> None:
    if not path.parent.exists():
        raise NetworkError("E310", path=str(path), detail=f"no folder {path.parent}")


def write_graphml(networks: Networks, path: str | Path) -> list[Path]:
    """GraphML for Gephi, visone and igraph; one file per window for a sequence.

    Files of a sequence are named ``<stem>_<number>_<start date>.graphml``.
    """
    path = Path(path)
    _check_writable(path)
    if not _is_windows(networks):
        nx.write_graphml(flat_graph(networks), path)
        return [path]
    written = []
    for number, window in enumerate(networks, start=1):
        target = path.with_name(f"{path.stem}_{number:03d}_{window.start.date().isoformat()}{path.suffix or '.graphml'}")
        nx.write_graphml(flat_graph(window.graph), target)
        written.append(target)
    return written


def _dynamic_graph(windows: Sequence[Window]) -> nx.Graph:
    """One graph of a window sequence, with GEXF spells and per-window attributes."""
    union = nx.Graph(mode="dynamic")
    for window in windows:
        start, end = window.graph.graph["start"], window.graph.graph["end"]
        union.graph.update({k: v for k, v in window.graph.graph.items() if k not in ("start", "end", "mid", "statements")})
        for node, data in window.graph.nodes(data=True):
            if node not in union:
                union.add_node(node, **{k: _plain(v) for k, v in data.items() if k != "statements"},
                               label=data.get("name", node), spells=[], statements=[])
            if data.get("statements", 0) or window.graph.degree(node):
                union.nodes[node]["spells"].append((start, end))
                union.nodes[node]["statements"].append((int(data.get("statements", 0)), start, end))
        for u, v, data in window.graph.edges(data=True):
            if not union.has_edge(u, v):
                union.add_edge(u, v, weight=0.0, spells=[], window_weight=[], concepts=set(), actors=set())
            edge = union.edges[u, v]
            edge["weight"] += float(data["weight"])
            edge["spells"].append((start, end))
            edge["window_weight"].append((float(data["weight"]), start, end))
            edge["concepts"].update(data.get("concepts", ()))
            edge["actors"].update(data.get("actors", ()))
    for _, data in union.nodes(data=True):
        if not data["spells"]:
            del data["spells"]
            del data["statements"]
    for _, _, data in union.edges(data=True):
        for name in ("concepts", "actors"):
            if data[name]:
                data[name] = LIST_SEPARATOR.join(sorted(data[name]))
            else:
                del data[name]
    return union


def write_gexf(networks: Networks, path: str | Path) -> list[Path]:
    """GEXF 1.2 for Gephi: a static graph, or one dynamic graph (``timeformat="date"``) of windows."""
    path = Path(path)
    _check_writable(path)
    graph = _dynamic_graph(networks) if _is_windows(networks) else flat_graph(networks)
    nx.write_gexf(graph, path)
    return [path]


def _edge_rows(graph: nx.Graph, extra: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for u, v, data in graph.edges(data=True):
        row = {**extra, "source": u, "target": v, "source_name": graph.nodes[u].get("name", u),
               "target_name": graph.nodes[v].get("name", v)}
        row.update({k: _plain(value) for k, value in data.items()})
        rows.append(row)
    return rows


def _node_rows(graph: nx.Graph, extra: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**extra, "id": node, **{k: _plain(v) for k, v in data.items()}} for node, data in graph.nodes(data=True)]


def write_csv(networks: Networks, path: str | Path) -> list[Path]:
    """An edge list at ``path`` and a node list beside it (``<stem>_nodes.csv``).

    A window sequence gives long lists with ``window_start``, ``window_end`` (inclusive)
    and ``window_mid`` columns first.
    """
    path = Path(path)
    _check_writable(path)
    graphs = ([(w.graph, {"window_start": w.graph.graph.get("start"), "window_end": w.graph.graph.get("end"),
                          "window_mid": w.graph.graph.get("mid")}) for w in networks]
              if _is_windows(networks) else [(networks, {})])
    edges = [row for graph, extra in graphs for row in _edge_rows(graph, extra)]
    nodes = [row for graph, extra in graphs for row in _node_rows(graph, extra)]
    edge_columns = [*graphs[0][1], "source", "target", "source_name", "target_name", "weight"] if graphs else []
    node_path = path.with_name(f"{path.stem}_nodes.csv")
    pd.DataFrame(edges, columns=None if edges else edge_columns).to_csv(path, index=False)
    pd.DataFrame(nodes).to_csv(node_path, index=False)
    return [path, node_path]


def _node_link(graph: nx.Graph) -> dict[str, Any]:
    data = nx.node_link_data(graph, edges="edges")
    return json.loads(json.dumps(data, default=_plain))


def write_json(networks: Networks, path: str | Path) -> list[Path]:
    """networkx node-link JSON; a window sequence is ``{"windows": [{start, end, mid, graph}]}``."""
    path = Path(path)
    _check_writable(path)
    if _is_windows(networks):
        payload: dict[str, Any] = {"windows": [
            {"start": w.graph.graph.get("start"), "end": w.graph.graph.get("end"), "mid": w.graph.graph.get("mid"),
             "graph": _node_link(w.graph)} for w in networks]}
    else:
        payload = _node_link(networks)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path]


def _per_window(write_one: Any, suffix: str) -> Any:
    """A writer of one graph made a writer of a network or of one file per window."""

    def write(networks: Networks, path: str | Path) -> list[Path]:
        path = Path(path)
        _check_writable(path)
        if not _is_windows(networks):
            write_one(networks, path)
            return [path]
        written = []
        for number, window in enumerate(networks, start=1):
            target = path.with_name(f"{path.stem}_{number:03d}_{window.start.date().isoformat()}{path.suffix or suffix}")
            write_one(window.graph, target)
            written.append(target)
        return written

    return write


def _pajek(graph: nx.Graph, path: Path) -> None:
    """Pajek ``.net``: numbered vertices with their names, then weighted edges."""
    nodes = list(graph.nodes)
    number = {node: i for i, node in enumerate(nodes, start=1)}
    lines = [f"*Vertices {len(nodes)}"]
    lines += [f'{number[n]} "{str(graph.nodes[n].get("name", n)).replace(chr(34), chr(39))}"' for n in nodes]
    lines.append("*Edges")
    lines += [f"{number[u]} {number[v]} {float(w):g}" for u, v, w in graph.edges(data="weight", default=1.0)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _number(value: float, integer: bool) -> str:
    return str(int(value)) if integer else f"{value:.6f}"


def _dl(graph: nx.Graph, path: Path) -> None:
    """UCINET DL full matrix, as DNA writes it (quotes in labels dropped)."""
    matrix = network_matrix(graph)
    integer = bool(np.all(np.mod(matrix.to_numpy(), 1) == 0))
    two_mode = graph.graph.get("kind") == "two-mode"

    def label(name: str) -> str:
        return '"' + str(name).replace('"', "'").replace("'", "") + '"'

    size = f"nr = {matrix.shape[0]}, nc = {matrix.shape[1]}" if two_mode else f"n = {matrix.shape[0]}"
    lines = [f"dl {size}, format = fullmatrix", "row labels:" if two_mode else "labels:"]
    lines += [label(name) for name in matrix.index]
    if two_mode:
        lines += ["col labels:", *(label(name) for name in matrix.columns)]
    lines.append("data:")
    lines += [" " + " ".join(_number(v, integer) for v in row) for row in matrix.to_numpy()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _matrix_csv(graph: nx.Graph, path: Path) -> None:
    """DNA's CSV matrix: ``;``-separated, quoted names, integers or six decimals."""
    matrix = network_matrix(graph)
    integer = bool(np.all(np.mod(matrix.to_numpy(), 1) == 0))

    def quoted(name: str) -> str:
        return '"' + str(name).replace('"', "'") + '"'

    lines = [";".join(['""', *(quoted(c) for c in matrix.columns)])]
    lines += [";".join([quoted(name), *(_number(v, integer) for v in row)])
              for name, row in zip(matrix.index, matrix.to_numpy())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


write_pajek = _per_window(_pajek, ".net")
write_dl = _per_window(_dl, ".dl")
write_matrix = _per_window(_matrix_csv, ".csv")


def write_events(statements: pd.DataFrame, path: str | Path) -> list[Path]:
    """DNA's event list: one ``;``-separated row per statement, with its variables and document.

    Columns as DNA writes them: ``statement_id``, ``time``, the statement's variables (the
    DNA variables of a DNA source; ``actor``, ``actor_type``, ``concept``, ``polarity``,
    ``confidence`` otherwise), ``start_position``, ``stop_position``, ``text``, ``coder``,
    ``document_id``, ``document_title``, ``_author``, ``_source``, ``_section``, ``_type``.
    """
    path = Path(path)
    _check_writable(path)
    frame = statements_frame(statements)
    variables = list(dict.fromkeys(k for values in frame["variables"] for k in values)) or \
        ["actor", "actor_type", "concept", "polarity", "confidence"]

    def text(value: Any) -> str:
        value = "" if value is None or (isinstance(value, float) and np.isnan(value)) else value
        return '"' + str(value).replace(";", ",").replace('"', "'") + '"'

    def value_of(row: Any, name: str) -> str:
        value = row.variables.get(name) if row.variables else getattr(row, name)
        if isinstance(value, (int, np.integer)) or (isinstance(value, float) and not np.isnan(value)):
            return str(value)
        return text(value)

    header = ['"statement_id"', '"time"', *(f'"{v}"' for v in variables), '"start_position"', '"stop_position"',
              '"text"', '"coder"', '"document_id"', '"document_title"', '"document_author"', '"document_source"',
              '"document_section"', '"document_type"']
    lines = [";".join(header)]
    for row in frame.itertuples(index=False):
        time = "" if pd.isna(row.date) else pd.Timestamp(row.date).strftime("%Y-%m-%d %H:%M:%S")
        coder = "" if row.coder is None or pd.isna(row.coder) else str(int(row.coder))
        lines.append(";".join([str(row.statement_id), time, *(value_of(row, v) for v in variables),
                               str(row.evidence_start), str(row.evidence_end), text(row.evidence_text), coder,
                               str(row.article_id), text(row.title), text(row.author), text(row.source),
                               text(row.section), text(row.document_type)]))
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as error:
        raise NetworkError("E310", path=str(path), detail=str(error)) from error
    return [path]


def write_network(networks: Networks, path: str | Path, format: str) -> list[Path]:
    """Write a network or a window sequence in ``format``.

    graphml, gexf, csv (edge and node lists), json, pajek (``.net``), dl (UCINET full
    matrix) or matrix (DNA's CSV matrix).
    """
    writers = {"graphml": write_graphml, "gexf": write_gexf, "csv": write_csv, "json": write_json,
               "pajek": write_pajek, "dl": write_dl, "matrix": write_matrix}
    if format not in writers:
        raise NetworkError("E306", name=format, expected=", ".join(writers))
    try:
        return writers[format](networks, path)
    except OSError as error:
        raise NetworkError("E310", path=str(path), detail=str(error)) from error


def network_matrix(graph: nx.Graph) -> pd.DataFrame:
    """The graph as DNA's matrix: one-mode n x n, or two-mode actors x concepts, names sorted.

    Rows and columns are node names (as in DNA's CSV and DL exports); absent ties are 0.
    """
    names = {node: str(data.get("name", node)) for node, data in graph.nodes(data=True)}
    if graph.graph.get("kind") == "two-mode":
        rows = sorted((n for n, d in graph.nodes(data=True) if d.get("kind") == "actor"), key=names.__getitem__)
        cols = sorted((n for n, d in graph.nodes(data=True) if d.get("kind") != "actor"), key=names.__getitem__)
    else:
        rows = cols = sorted(graph.nodes, key=names.__getitem__)
    position = {node: j for j, node in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))
    for i, node in enumerate(rows):
        for other, data in graph[node].items():
            if other in position:
                matrix[i, position[other]] = float(data.get("weight", 1.0))
    return pd.DataFrame(matrix, index=[names[n] for n in rows], columns=[names[n] for n in cols])


def read_graphml(path: str | Path) -> nx.Graph:
    """A GraphML network (list attributes stay ``"; "``-joined text)."""
    return nx.read_graphml(path)


def read_gexf(path: str | Path) -> nx.Graph:
    """A GEXF network, static or dynamic."""
    return nx.read_gexf(path)


def read_json(path: str | Path) -> nx.Graph | list[Window]:
    """A network written by :func:`write_json`: one graph, or the list of windows."""
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    if "windows" not in payload:
        return nx.node_link_graph(payload, edges="edges")
    return [Window(pd.Timestamp(w["start"]), pd.Timestamp(w["end"]) + pd.Timedelta(days=1), pd.Timestamp(w["mid"]),
                   nx.node_link_graph(w["graph"], edges="edges")) for w in payload["windows"]]


# --------------------------------------------------------------------------------------
# DNA databases

def _flag(name: str, default: int = 1) -> str:
    return f"{name} INTEGER NOT NULL CHECK ({name} BETWEEN 0 AND 1) DEFAULT {default}"


def _colour(name: str, required: bool = True) -> str:
    return f"{name} INTEGER{' NOT NULL DEFAULT 0' if required else ''} CHECK ({name} BETWEEN 0 AND 255)"


def _short_text(name: str, default: bool = True) -> str:
    empty = " DEFAULT ''" if default else ""
    return f"{name} TEXT NOT NULL{empty} CHECK (LENGTH({name}) < 191)"


def _cascade(column: str, table: str) -> str:
    return f"FOREIGN KEY({column}) REFERENCES {table}(ID) ON DELETE CASCADE"


_RGB = ", ".join(_colour(c) for c in ("Red", "Green", "Blue"))
_PERMISSIONS = [f"Permission{p}" for p in (
    "AddDocuments", "EditDocuments", "DeleteDocuments", "ImportDocuments", "AddStatements", "EditStatements",
    "DeleteStatements", "EditAttributes", "EditRegex", "EditStatementTypes", "EditCoders", "EditCoderRelations",
    "ViewOthersDocuments", "EditOthersDocuments", "ViewOthersStatements", "EditOthersStatements")]
_STATEMENT_DATA = "ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL"
_STATEMENT_DATA_KEYS = (f"{_cascade('StatementId', 'STATEMENTS')}, {_cascade('VariableId', 'VARIABLES')}, "
                        "UNIQUE (StatementId, VariableId)")

# The tables of a DNA 3 database, column for column and constraint for constraint as DNA
# itself creates them in SQLite (sql.Sql.createTables in leifeld-lab/dna).
_DNA_TABLES = {
    "SETTINGS": "Property TEXT PRIMARY KEY, Value TEXT NOT NULL",
    "CODERS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short_text("Name", default=False), _RGB,
        "Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0",
        "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14",
        _short_text("Password", default=False), "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300",
        _flag("ColorByCoder", 0), _flag("PopupDecoration", 0), _flag("PopupAutoComplete"),
        *(_flag(permission) for permission in _PERMISSIONS),
    ]),
    "DOCUMENTS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short_text("Title", default=False), "Text TEXT NOT NULL", "Coder INTEGER",
        _short_text("Author"), _short_text("Source"), _short_text("Section"), "Notes TEXT NOT NULL DEFAULT ''",
        _short_text("Type"), "Date INTEGER NOT NULL", _cascade("Coder", "CODERS"),
    ]),
    "STATEMENTTYPES": f"ID INTEGER NOT NULL PRIMARY KEY, {_short_text('Label', default=False)}, {_RGB}",
    "VARIABLES": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", _short_text("Variable", default=False),
        "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR DataType = 'long text' "
        "OR DataType = 'short text') DEFAULT 'short text'",
        "StatementTypeId INTEGER", _cascade("StatementTypeId", "STATEMENTTYPES"), "UNIQUE (Variable, StatementTypeId)",
    ]),
    "VARIABLELINKS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", "SourceVariableId INTEGER", "TargetVariableId INTEGER",
        "CHECK (TargetVariableId != SourceVariableId)", _cascade("SourceVariableId", "VARIABLES"),
        _cascade("TargetVariableId", "VARIABLES"),
    ]),
    "REGEXES": f"Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), {_RGB}",
    "CODERRELATIONS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", "Coder INTEGER CHECK(Coder > 0)", "OtherCoder INTEGER CHECK(OtherCoder > 0)",
        *(f"{name} INTEGER NOT NULL DEFAULT 1 CHECK({name} BETWEEN 0 AND 1)"
          for name in ("viewStatements", "editStatements", "viewDocuments", "editDocuments")),
        "CHECK (Coder != OtherCoder)", _cascade("Coder", "CODERS"), _cascade("OtherCoder", "CODERS"),
    ]),
    "STATEMENTS": ", ".join([
        "ID INTEGER NOT NULL PRIMARY KEY", "StatementTypeId INTEGER", "DocumentId INTEGER",
        "Start INTEGER NOT NULL CHECK(Start >= 0)", "Stop INTEGER NOT NULL CHECK(Stop >= 0)", "Coder INTEGER",
        "CHECK (Start < Stop)", _cascade("StatementTypeId", "STATEMENTTYPES"), _cascade("Coder", "CODERS"),
        _cascade("DocumentId", "DOCUMENTS"),
    ]),
    "DATABOOLEAN": f"{_STATEMENT_DATA}, Value INTEGER NOT NULL DEFAULT 1, {_STATEMENT_DATA_KEYS}",
    "DATAINTEGER": f"{_STATEMENT_DATA}, Value INTEGER NOT NULL DEFAULT 0, {_STATEMENT_DATA_KEYS}",
    "ENTITIES": ", ".join([
        "ID INTEGER PRIMARY KEY NOT NULL", "VariableId INTEGER NOT NULL", _short_text("Value"),
        *(_colour(c, required=False) for c in ("Red", "Green", "Blue")), "ChildOf INTEGER CHECK(ChildOf > 0)",
        "UNIQUE (VariableId, Value)", _cascade("ChildOf", "ENTITIES"), _cascade("VariableId", "VARIABLES"),
    ]),
    "DATASHORTTEXT": ", ".join([
        _STATEMENT_DATA, "Entity INTEGER NOT NULL", _cascade("StatementId", "STATEMENTS"),
        _cascade("VariableId", "VARIABLES"), _cascade("Entity", "ENTITIES"), "UNIQUE (StatementId, VariableId)",
    ]),
    "DATALONGTEXT": f"{_STATEMENT_DATA}, Value TEXT DEFAULT '', {_STATEMENT_DATA_KEYS}",
    "ATTRIBUTEVARIABLES": ", ".join([
        "ID INTEGER PRIMARY KEY NOT NULL", "VariableId INTEGER NOT NULL", _short_text("AttributeVariable", default=False),
        "UNIQUE(VariableId, AttributeVariable)", _cascade("VariableId", "VARIABLES"),
    ]),
    "ATTRIBUTEVALUES": ", ".join([
        "ID INTEGER PRIMARY KEY NOT NULL", "EntityId INTEGER NOT NULL", "AttributeVariableId INTEGER NOT NULL",
        _short_text("AttributeValue"), "UNIQUE (EntityId, AttributeVariableId)", _cascade("EntityId", "ENTITIES"),
        _cascade("AttributeVariableId", "ATTRIBUTEVARIABLES"),
    ]),
}
_DNA_SCHEMA = "\n".join(f"CREATE TABLE {table}({columns});" for table, columns in _DNA_TABLES.items())

# DNA's default statement types, variables and attribute variables (as in a new DNA database),
# plus stancegraph's "confidence" variable on the DNA Statement type.
_STATEMENT_TYPES = [(1, "DNA Statement", 239, 208, 51), (2, "NPF Story Element", 100, 200, 190), (3, "Annotation", 211, 211, 211)]
_VARIABLES = [
    (1, "person", "short text", 1), (2, "organization", "short text", 1), (3, "concept", "short text", 1),
    (4, "agreement", "boolean", 1), (5, "narrator", "short text", 2), (6, "victim", "short text", 2),
    (7, "villain", "short text", 2), (8, "plot", "short text", 2), (9, "hero", "short text", 2),
    (10, "policy solution", "short text", 2), (11, "note", "long text", 3), (12, "confidence", "integer", 1),
]
_ATTRIBUTES = [(1, 1, "Type"), (2, 2, "Type"), (3, 3, "Type"), (4, 1, "Alias"), (5, 2, "Alias"), (6, 3, "Alias"),
               (7, 1, "Notes"), (8, 2, "Notes"), (9, 3, "Notes")]
_PERSON, _ORGANIZATION, _CONCEPT, _AGREEMENT, _CONFIDENCE = 1, 2, 3, 4, 12
_NOTES_PREFIX = "stancegraph article: "
_UNDATED_NOTE = "undated article: date set to its ingest day "
_TEXT_LIMIT = 190


def _jasypt_digest(password: str, salt: bytes) -> bytes:
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    for _ in range(99_999):
        digest = hashlib.sha256(digest).digest()
    return digest


def dna_password_hash(password: str, salt: bytes | None = None) -> str:
    """A password hash DNA accepts (jasypt's StrongPasswordEncryptor: SHA-256, 100,000 rounds).

    >>> dna_password_matches("secret", dna_password_hash("secret"))
    True
    """
    salt = os.urandom(16) if salt is None else salt
    return base64.b64encode(salt + _jasypt_digest(password, salt)).decode("ascii")


def dna_password_matches(password: str, hashed: str) -> bool:
    """Does ``password`` open a DNA coder whose stored hash is ``hashed``?"""
    raw = base64.b64decode(hashed)
    return _jasypt_digest(password, raw[:16]) == raw[16:]


def _utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


def _from_utf16(text: str, offset: int) -> int:
    """The Python offset of a UTF-16 offset into ``text``."""
    if text.isascii():
        return offset
    units = 0
    for index, char in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def _short(text: Any) -> str:
    text = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


def _unique_short(values: Any) -> dict[str, str]:
    """Each distinct value -> a DNA-length text, distinct values kept distinct after the cut.

    A value that its cut would merge with another gets a number: ``"… (2)"``.
    """
    short: dict[str, str] = {}
    taken: set[str] = set()
    for value in sorted({"" if v is None else str(v) for v in values}):
        text, n = _short(value), 1
        while text in taken:
            n += 1
            suffix = f"… ({n})"
            text = value[: _TEXT_LIMIT - len(suffix)] + suffix
        short[value] = text
        taken.add(text)
    return short


def _main_kind(frame: pd.DataFrame, column: str, kind_column: str) -> dict[str, str]:
    """The most frequent type of each value (ties: the first in alphabetical order)."""
    counts = frame.groupby([column, kind_column], dropna=False).size().reset_index(name="n")
    counts = counts.sort_values(["n", kind_column], ascending=[False, True], kind="stable")
    return {str(k): ("" if pd.isna(v) else str(v)) for k, v in
            counts.drop_duplicates(column).set_index(column)[kind_column].items()}


def _epoch(value: Any) -> int:
    return int(pd.Timestamp(value).tz_localize(None).timestamp())


def _document_date(article: Any) -> tuple[int, str]:
    """DNA's date of an article (epoch seconds) and a note when it is not the article's own.

    An undated article gets the day it was ingested (or today), so that DNA's time windows
    stay meaningful; the note says so in the document's Notes.
    """
    date = getattr(article, "date", None)
    if date is not None and not pd.isna(date):
        return _epoch(pd.Timestamp(date).normalize()), ""
    ingested = getattr(article, "ingested_at", None)
    when = pd.Timestamp(ingested) if ingested is not None and not pd.isna(ingested) else pd.Timestamp.now()
    day = when.tz_localize(None).normalize() if when.tzinfo else when.normalize()
    return _epoch(day), f"{_UNDATED_NOTE}{day.date().isoformat()}"


def write_dna(
    path: str | Path,
    statements: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    password: str,
    coder: str = "stancegraph",
    reviewers: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Write statements and their articles into a new DNA database at ``path``.

    Every statement's actor goes into DNA's default variable ``organization`` (the actor's
    type is the entity's ``Type`` attribute), so that DNA's and rDNA's defaults see every
    statement; ``person`` stays empty. ``documents`` has the articles (``id, title, date,
    source, text``, optionally ``ingested_at``) the statements come from; an undated article
    gets its ingest day as its date, said in the document's notes. Neutral statements are
    left out (DNA's agreement is yes or no); a statement without a confidence has no
    ``confidence`` value. ``reviewers`` maps the ids (``<article id>#<n>``) of statements a
    person reviewed to that person: those statements belong to a coder of that name (in DNA's
    colour for checked work, green), so that DNA shows which codes were verified. Returns the
    numbers of documents and statements written, of neutral statements left out and of
    undated documents, and how many statements were reviewed.
    """
    path = Path(path)
    _check_writable(path)
    if path.exists():
        path.unlink()
    raw_confidence = pd.to_numeric(pd.Series(statements["confidence"]) if "confidence" in statements
                                   else pd.Series(np.nan, index=range(len(statements))), errors="coerce")
    statements = statements_frame(statements).assign(confidence=raw_confidence.to_numpy())
    signed = statements.loc[statements["polarity"] != 0].reset_index(drop=True)
    texts = {str(row.id): row for row in documents.itertuples(index=False)}
    actor_names, concept_names = _unique_short(signed["actor"]), _unique_short(signed["concept"])
    actor_kinds = _main_kind(signed.assign(actor=signed["actor"].fillna("")), "actor", "actor_type")
    concept_kinds = _main_kind(signed.assign(concept=signed["concept"].fillna("")), "concept", "concept_kind")
    try:
        con = sqlite3.connect(path)
    except sqlite3.Error as error:
        raise NetworkError("E310", path=str(path), detail=str(error)) from error
    undated = 0
    try:
        with con:
            con.executescript(_DNA_SCHEMA)
            con.executemany("INSERT INTO SETTINGS VALUES (?, ?)", [("version", DNA_VERSION[0]),
                                                                   ("date", DNA_VERSION[1])])
            con.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password, PopupWidth) "
                        "VALUES (1, 'Admin', 255, 255, 0, ?, 400)", [dna_password_hash(password)])
            con.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password) VALUES (2, ?, 51, 153, 255, ?)",
                        [_short(coder), dna_password_hash(password)])
            reviewers = reviewers or {}
            coders = {name: number for number, name in enumerate(sorted(
                {reviewers[i] for i in signed["statement_id"] if i in reviewers}), start=3)}
            for name, number in coders.items():
                con.execute("INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password) VALUES (?, ?, 0, 153, 51, ?)",
                            [number, _short(name), dna_password_hash(password)])
            numbers = [1, 2, *coders.values()]
            con.executemany("INSERT INTO CODERRELATIONS (Coder, OtherCoder) VALUES (?, ?)",
                            [(a, b) for a in numbers for b in numbers if a != b])
            con.executemany("INSERT INTO STATEMENTTYPES VALUES (?, ?, ?, ?, ?)", _STATEMENT_TYPES)
            con.executemany("INSERT INTO VARIABLES VALUES (?, ?, ?, ?)", _VARIABLES)
            con.executemany("INSERT INTO ATTRIBUTEVARIABLES VALUES (?, ?, ?)", _ATTRIBUTES)
            entities: dict[tuple[int, str], int] = {}

            def entity(variable: int, value: str, kind: str = "") -> int:
                key = (variable, value)
                if key not in entities:
                    entity_id = len(entities) + 1
                    entities[key] = entity_id
                    con.execute("INSERT INTO ENTITIES (ID, VariableId, Value, Red, Green, Blue) VALUES (?, ?, ?, 0, 0, 0)",
                                [entity_id, variable, value])
                    for attribute_id, attribute_variable, name in _ATTRIBUTES:
                        if attribute_variable == variable:
                            con.execute("INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) "
                                        "VALUES (?, ?, ?)", [entity_id, attribute_id, _short(kind) if name == "Type" else ""])
                return entities[key]

            for variable in (_PERSON, _ORGANIZATION, _CONCEPT):
                entity(variable, "")
            document_ids: dict[str, int] = {}
            for article_id in dict.fromkeys(signed["article_id"]):
                article = texts.get(str(article_id))
                if article is None:
                    raise NetworkError("E310", path=str(path), detail=f"no text for article '{article_id}'")
                document_ids[str(article_id)] = len(document_ids) + 1
                date, note = _document_date(article)
                undated += bool(note)
                notes = f"{_NOTES_PREFIX}{article_id}" + (f"\n{note}" if note else "")
                con.execute("INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Source, Notes, Date) VALUES (?, ?, ?, 2, ?, ?, ?)",
                            [document_ids[str(article_id)], _short(article.title or article_id), article.text,
                             _short(article.source), notes, date])
            for number, row in enumerate(signed.itertuples(index=False), start=1):
                text = texts[str(row.article_id)].text
                start, stop = _utf16(text, row.evidence_start), _utf16(text, row.evidence_end)
                reviewer = reviewers.get(str(row.statement_id))
                con.execute("INSERT INTO STATEMENTS VALUES (?, 1, ?, ?, ?, ?)",
                            [number, document_ids[str(row.article_id)], start, max(stop, start + 1),
                             2 if reviewer is None else coders[reviewer]])
                actor, concept = row.actor or "", row.concept or ""
                values = {
                    _PERSON: entity(_PERSON, ""),
                    _ORGANIZATION: entity(_ORGANIZATION, actor_names[actor], actor_kinds.get(actor, "")),
                    _CONCEPT: entity(_CONCEPT, concept_names[concept], concept_kinds.get(concept, "")),
                }
                con.executemany("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?, ?, ?)",
                                [(number, variable, value) for variable, value in values.items()])
                con.execute("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (?, ?, ?)",
                            [number, _AGREEMENT, int(row.polarity > 0)])
                if _known(row.confidence):
                    con.execute("INSERT INTO DATAINTEGER (StatementId, VariableId, Value) VALUES (?, ?, ?)",
                                [number, _CONFIDENCE, round(float(row.confidence) * 100)])
    except sqlite3.Error as error:
        raise NetworkError("E310", path=str(path), detail=str(error)) from error
    finally:
        con.close()
    return {"documents": len(document_ids), "statements": len(signed), "neutral": int(len(statements) - len(signed)),
            "undated": undated, "reviewed": int(signed["statement_id"].isin(list(reviewers)).sum())}


_DNA_DOCUMENTS = """
SELECT ID AS document_id, Title AS title, Text AS text, Date AS date, Source AS source, Notes AS notes,
       Author AS author, Section AS section, Type AS type, Coder AS coder
FROM DOCUMENTS ORDER BY ID
"""
_DNA_STATEMENTS = """
SELECT s.ID AS statement_id, t.Label AS statement_type, s.DocumentId AS document_id, s.Start AS start,
       s.Stop AS stop, s.Coder AS coder
FROM STATEMENTS s JOIN STATEMENTTYPES t ON t.ID = s.StatementTypeId
ORDER BY s.ID
"""
_DNA_VALUES = """
SELECT d.StatementId AS statement_id, v.Variable AS variable, e.Value AS value,
       (SELECT a.AttributeValue FROM ATTRIBUTEVALUES a JOIN ATTRIBUTEVARIABLES av ON av.ID = a.AttributeVariableId
        WHERE a.EntityId = e.ID AND av.AttributeVariable = 'Type') AS type
FROM DATASHORTTEXT d JOIN VARIABLES v ON v.ID = d.VariableId JOIN ENTITIES e ON e.ID = d.Entity
UNION ALL
SELECT b.StatementId, v.Variable, CAST(b.Value AS TEXT), NULL FROM DATABOOLEAN b JOIN VARIABLES v ON v.ID = b.VariableId
UNION ALL
SELECT i.StatementId, v.Variable, CAST(i.Value AS TEXT), NULL FROM DATAINTEGER i JOIN VARIABLES v ON v.ID = i.VariableId
UNION ALL
SELECT l.StatementId, v.Variable, l.Value, NULL FROM DATALONGTEXT l JOIN VARIABLES v ON v.ID = l.VariableId
"""


@dataclass
class DnaDatabase:
    """The contents of a DNA database: its documents and every statement.

    ``statements`` has one row per statement: ``statement_id``, ``statement_type``,
    ``document_id``, ``start`` and ``stop`` (Python offsets), ``coder``, ``text`` (the coded
    span), then one column per variable (short text as the entity's value, boolean and
    integer as numbers), and ``<variable>_type`` for the ``Type`` attribute of entities.
    ``documents`` has ``document_id, title, text, date, source, notes, author, section, type,
    coder``. ``variable_types`` maps each statement type to its variables and their data
    types, in DNA's order.
    """

    documents: pd.DataFrame
    statements: pd.DataFrame
    variable_types: dict[str, dict[str, str]]


def read_dna(path: str | Path) -> DnaDatabase:
    """Read a DNA 3 database (SQLite), hand-coded statements and all."""
    path = Path(path)
    if not path.is_file():
        raise NetworkError("E308", path=str(path), detail="no such file")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            documents = pd.read_sql_query(_DNA_DOCUMENTS, con)
            statements = pd.read_sql_query(_DNA_STATEMENTS, con)
            values = pd.read_sql_query(_DNA_VALUES, con)
            types = dict(con.execute("SELECT Variable, DataType FROM VARIABLES").fetchall())
            variable_types: dict[str, dict[str, str]] = {}
            for label, variable, data_type in con.execute(
                    "SELECT t.Label, v.Variable, v.DataType FROM STATEMENTTYPES t LEFT JOIN VARIABLES v "
                    "ON v.StatementTypeId = t.ID ORDER BY t.ID, v.ID"):
                variable_types.setdefault(label, {})
                if variable is not None:
                    variable_types[label][variable] = data_type
        finally:
            con.close()
    except (sqlite3.Error, pd.errors.DatabaseError) as error:
        raise NetworkError("E308", path=str(path), detail=str(error)) from error
    documents["date"] = pd.to_datetime(documents["date"], unit="s").where(documents["date"] != 0)
    text_of = dict(zip(documents["document_id"], documents["text"]))
    starts, stops = [], []
    for document_id, start, stop in zip(statements["document_id"], statements["start"], statements["stop"]):
        text = text_of.get(document_id, "")
        starts.append(_from_utf16(text, int(start)))
        stops.append(_from_utf16(text, int(stop)))
    statements["start"], statements["stop"] = starts, stops
    statements["text"] = [text_of.get(d, "")[a:b] for d, a, b in zip(statements["document_id"], starts, stops)]
    for variable, group in values.groupby("variable", sort=True):
        by_statement = dict(zip(group["statement_id"], group["value"]))
        column = [by_statement.get(s) for s in statements["statement_id"]]
        if types.get(variable) in ("boolean", "integer"):
            statements[variable] = pd.array([None if v is None else int(v) for v in column], dtype="Int64")
        else:
            statements[variable] = column
        if types.get(variable) == "short text":
            kinds = dict(zip(group["statement_id"], group["type"]))
            statements[f"{variable}_type"] = [kinds.get(s) for s in statements["statement_id"]]
    return DnaDatabase(documents, statements, variable_types)


def dna_statements(database: DnaDatabase, *, actor: str = "auto") -> pd.DataFrame:
    """The DNA Statements of a database as a statement table, for comparison and networks.

    The actor is the ``person`` or the ``organization`` (``actor="auto"``: the person when
    there is one), agreement 1 is polarity +1 and 0 is -1, and the article is the one
    stancegraph exported (from the document's notes) or ``"dna:<document id>"``. A statement
    without an agreement value counts as agreeing (DNA's default); one without a
    confidence has none (NaN).
    """
    frame = database.statements
    frame = frame.loc[(frame["statement_type"] == "DNA Statement")] if "concept" in frame else frame.iloc[0:0]
    documents = database.documents.set_index("document_id")
    rows = []
    for row in frame.to_dict("records"):
        document = documents.loc[row["document_id"]]
        notes = (document["notes"] or "").split("\n")[0]
        article_id = notes[len(_NOTES_PREFIX):].strip() if notes.startswith(_NOTES_PREFIX) else f"dna:{row['document_id']}"
        use_person = actor == "person" or (actor == "auto" and row.get("person"))
        name = row.get("person") if use_person else row.get("organization")
        kind = row.get("person_type") if use_person else row.get("organization_type")
        concept_kind = row.get("concept_type") if row.get("concept_type") in ("issue", "actor") else "issue"
        confidence = row.get("confidence")
        rows.append({
            "statement_id": f"dna:{row['statement_id']}", "article_id": article_id, "n": row["statement_id"],
            "title": document["title"], "date": document["date"], "source": document["source"] or None,
            "actor_id": name, "actor": name, "actor_type": kind or None,
            "target": row.get("concept"), "target_kind": concept_kind, "label": row.get("concept"),
            "concept": row.get("concept"), "concept_kind": concept_kind,
            "polarity": -1 if _known(row.get("agreement")) and row["agreement"] == 0 else 1,
            "confidence": confidence / 100.0 if _known(confidence) else None,
            "evidence_start": row["start"], "evidence_end": row["stop"], "evidence_text": row["text"],
        })
    return statements_frame(rows)


def _known(value: Any) -> bool:
    return value is not None and not pd.isna(value)


@dataclass
class CodingComparison:
    """Automatic against manual coding, as (article, actor, concept, polarity) statements.

    ``matched``, ``missed`` (manual only) and ``extra`` (automatic only) list the distinct
    statements; names compare case-blind.
    """

    matched: pd.DataFrame
    missed: pd.DataFrame
    extra: pd.DataFrame

    @property
    def precision(self) -> float:
        found = len(self.matched) + len(self.extra)
        return len(self.matched) / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = len(self.matched) + len(self.missed)
        return len(self.matched) / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


_COMPARED = ["article_id", "actor", "concept", "polarity"]


def _coded(statements: pd.DataFrame) -> pd.DataFrame:
    frame = statements.loc[:, _COMPARED].copy()
    for column in ("actor", "concept"):
        frame[f"{column}_key"] = frame[column].map(lambda value: str(value or "").casefold().strip())
    return frame.drop_duplicates(["article_id", "actor_key", "concept_key", "polarity"])


def compare_codings(automatic: pd.DataFrame, manual: pd.DataFrame) -> CodingComparison:
    """Compare two statement tables (for example the store's and a DNA file's)."""
    keys = ["article_id", "actor_key", "concept_key", "polarity"]
    ours, theirs = _coded(automatic), _coded(manual)
    merged = ours.merge(theirs, on=keys, how="outer", suffixes=("", "_manual"), indicator=True)

    def side(which: str, suffix: str) -> pd.DataFrame:
        columns = ["article_id", f"actor{suffix}", f"concept{suffix}", "polarity"]
        return merged.loc[merged["_merge"] == which, columns].set_axis(_COMPARED, axis=1).reset_index(drop=True)

    return CodingComparison(side("both", ""), side("right_only", "_manual"), side("left_only", ""))

