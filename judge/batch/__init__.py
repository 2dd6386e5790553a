"""`judge batch`: grade many solutions against one problem, locally or through a server."""
