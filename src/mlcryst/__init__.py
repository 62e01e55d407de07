"""mlcryst: a knowledge graph of machine learning in crystallography.

The pipeline, one module per stage, each a plain function over one graph:

>>> from mlcryst import load, build, validate, query      # doctest: +SKIP
>>> dataset = load.load_dataset()                           # data/*.yaml -> records
>>> graph = build.build_graph(dataset)                      # records -> rdflib.Graph
>>> validate.check(graph)                                   # SHACL, raises on violations
>>> query.run_named(graph, "papers-per-year")               # SPARQL

Importing the package does no work: submodules are imported when used.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
