"""Public, machine-readable views of registers (downloads, catalogue, feed)."""
