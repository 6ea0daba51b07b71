"""`ikg serve`: a local, read-only web app over the same library calls as the CLI."""
