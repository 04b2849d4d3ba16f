"""The model as the generated files of docs/: pages, citations, exports."""
