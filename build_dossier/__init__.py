"""build_dossier: turn source articles into a tagged, cross-linked research dossier site."""

__version__ = "0.1.0"
