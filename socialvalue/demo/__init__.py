"""The demo: invented organisations, people and progress for looking around (`socialvalue demo`).

Kept out of the production apps so that nothing they do depends on it; only the command,
the browser tests and the load benchmark import it.
"""
