"""Reading the input: files, YAML, the front-matter schema, settings, the sources and the passage lock."""
