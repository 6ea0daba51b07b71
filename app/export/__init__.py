"""`ikg export`: the graph (or one unit's part) as an Excel 整改台账, GraphML, GEXF, neo4j-admin CSV or
JSON Lines of the parse model. Each writer takes a `GraphDump` read once from the store."""
