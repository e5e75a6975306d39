"""A CMS-native algorithm register for Wagtail (Publicatiestandaard 1.0)."""

__version__ = "0.1.0.dev0"
