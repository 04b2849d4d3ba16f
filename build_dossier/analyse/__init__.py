"""The stages that build the model from the sources: clean, segment, tag, claims, related, figures."""
