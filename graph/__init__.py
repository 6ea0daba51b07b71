"""Graph layer of ikg: typed records, ids, errors and the graph stores."""
