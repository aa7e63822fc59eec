"""Explorations built on the engine (variants, counterexamples under variants, premises,
thresholds, sweeps and their plots). The engine does not import them."""
