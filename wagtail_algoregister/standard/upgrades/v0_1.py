"""0.1 → 0.2.3: the same keys with the same meaning (0.2.3 only reworded help texts)."""

FROM, TO = "0.1", "0.2.3"


def step(u) -> None:
    """Nothing to move."""
