"""mlcryst: a knowledge graph of machine learning in crystallography.

The pipeline, one module per stage, each a plain function over one graph:

>>> from mlcryst import build, load, query, validate
>>> dataset = load.load_dataset()                  # data/*.yaml -> checked records
>>> graph = build.build_graph(dataset)             # records -> rdflib.Graph
>>> validate.check(graph)                          # SHACL; raises ValidationFailed
[]
>>> rows = query.rows(query.run_named(graph, "papers-per-journal"))
>>> [(r["abbreviation"], r["papers"]) for r in rows][:2]
[('Acta Cryst. A', 14), ('Acta Cryst. B', 2)]

Importing the package does no work: submodules are imported when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
