"""The soundness corpus is run by tests/test_soundness_corpus.py (with its labels and
known-wrong list), not by the lawproof pytest plugin: its files deliberately contain
claims that lawproof gets wrong today, which the plugin would report as failures."""
collect_ignore_glob = ["*.claims.toml"]
