"""mlcryst: a knowledge graph of machine learning in crystallography.

The pipeline, one package per stage: :mod:`mlcryst.load` (data/*.yaml -> checked records),
:mod:`mlcryst.builder` (records -> triples), :mod:`mlcryst.shacl` (validate),
:mod:`mlcryst.sparql` (query), :mod:`mlcryst.export` (files), :mod:`mlcryst.visual` (networks,
analytics, figures, the page); :mod:`mlcryst.stores` holds the graph, :mod:`mlcryst.remote`
talks to SPARQL servers, :mod:`mlcryst.cli` is the command, :mod:`mlcryst.pipeline` the main
job. Each stage is a plain function over one graph:

>>> from mlcryst.load.dataset import load_dataset
>>> from mlcryst.builder.graph import build_graph
>>> from mlcryst.shacl.report import check
>>> from mlcryst.sparql.named import rows, run_named
>>> dataset = load_dataset()                       # data/*.yaml -> checked records
>>> graph = build_graph(dataset)                   # records -> rdflib.Graph
>>> check(graph)                                   # SHACL; raises ValidationFailed
[]
>>> rows = rows(run_named(graph, "papers-per-journal"))
>>> [(r["abbreviation"], r["papers"]) for r in rows][:2]
[('Acta Cryst. A', 14), ('Acta Cryst. B', 2)]

Importing the package does no work: submodules are imported when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
