"""Renderers: one writer per format, each walking the document tree (:mod:`upr_summary.document`):
Word (python-docx, with our own footnotes), Markdown, the chart, PDF; and the template sandbox."""
