"""Below both front ends (cli/, web/): settings resolved once, a workspace over store and index."""
