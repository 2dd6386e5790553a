"""One module per `judge` sub-command group; each exposes `register(subparsers)`."""
