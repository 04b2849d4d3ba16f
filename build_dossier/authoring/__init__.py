"""Helping the editor: importing articles (`add`) and suggesting debates (`suggest`)."""
