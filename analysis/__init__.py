"""What analysts ask of the graph: problem types, 共性问题, 屡查屡犯 and weak rectification measures.

Each module computes one verb over `GraphStore` (and the search index where vectors are needed) and returns
typed records that carry provenance (file, line); nothing here prints.
"""
