"""Discourse networks from the store, the way DNA builds them by hand, and more.

* :mod:`~stancegraph.networks.statements` loads the store's stances as statements, filters
  and de-duplicates them;
* :mod:`~stancegraph.networks.concepts` folds issue labels into concepts, under the user's
  concept list;
* :mod:`~stancegraph.networks.build` builds two-mode and one-mode networks with DNA's
  options, and sequences of them over time windows;
* :mod:`~stancegraph.networks.readwrite` writes GraphML, GEXF, CSV, JSON and DNA databases,
  and reads DNA databases back;
* :mod:`~stancegraph.networks.analysis` measures polarisation, fault lines and side changers.

Example
-------
>>> from stancegraph.store import open_store
>>> con = open_store(":memory:")
>>> graph = build_network(con, NetworkOptions(kind="congruence", similarity=None))
>>> graph.number_of_nodes()
0
"""

import stancegraph.networks._needs  # noqa: F401  (first: E130 without pandas or networkx)
from stancegraph.networks.analysis import (
    fault_lines,
    plot_fault_lines,
    plot_polarisation,
    plot_side_changers,
    polarisation,
    side_changers,
    split_camps,
)
from stancegraph.networks.build import (
    KERNELS,
    KINDS,
    NORMALIZATIONS,
    QUALIFIERS,
    Duration,
    NetworkOptions,
    Window,
    build_network,
    kernel_weights,
    network_from_statements,
    prepare_statements,
    time_windows,
)
from stancegraph.networks.concepts import (
    DEFAULT_SIMILARITY,
    ConceptFolding,
    UserConcept,
    add_concept,
    analyse_labels,
    assign_concepts,
    corpus_folding,
    fold_concepts,
    load_embedder,
    merge_concepts,
    read_concept_file,
    read_user_concepts,
    remove_concept,
    rename_concept,
    write_concept_file,
    write_user_concepts,
)
from stancegraph.networks.readwrite import (
    FORMATS,
    CodingComparison,
    DnaDatabase,
    compare_codings,
    dna_statements,
    read_dna,
    read_gexf,
    read_graphml,
    read_json,
    write_csv,
    write_dna,
    write_gexf,
    write_graphml,
    write_json,
    write_network,
)
from stancegraph.networks.statements import (
    STATEMENT_COLUMNS,
    StatementFilter,
    dedupe_statements,
    filter_statements,
    load_documents,
    load_statements,
    statements_frame,
    statements_from_analyses,
)

__all__ = [
    "DEFAULT_SIMILARITY",
    "FORMATS",
    "KERNELS",
    "KINDS",
    "NORMALIZATIONS",
    "QUALIFIERS",
    "STATEMENT_COLUMNS",
    "CodingComparison",
    "ConceptFolding",
    "DnaDatabase",
    "Duration",
    "NetworkOptions",
    "StatementFilter",
    "UserConcept",
    "Window",
    "add_concept",
    "analyse_labels",
    "assign_concepts",
    "build_network",
    "compare_codings",
    "corpus_folding",
    "dedupe_statements",
    "dna_statements",
    "fault_lines",
    "filter_statements",
    "fold_concepts",
    "kernel_weights",
    "load_documents",
    "load_embedder",
    "load_statements",
    "merge_concepts",
    "network_from_statements",
    "plot_fault_lines",
    "plot_polarisation",
    "plot_side_changers",
    "polarisation",
    "prepare_statements",
    "read_concept_file",
    "read_dna",
    "read_gexf",
    "read_graphml",
    "read_json",
    "read_user_concepts",
    "remove_concept",
    "rename_concept",
    "side_changers",
    "split_camps",
    "statements_frame",
    "statements_from_analyses",
    "time_windows",
    "write_concept_file",
    "write_csv",
    "write_dna",
    "write_gexf",
    "write_graphml",
    "write_json",
    "write_network",
    "write_user_concepts",
]
