"""The claim language: text in, intermediate form out (grammar, parser, LaTeX reader,
formula, domains, claims, loader, definedness), plus what every layer shares: typed
errors, safe file names and writes, work budgets. Imports no backend."""
