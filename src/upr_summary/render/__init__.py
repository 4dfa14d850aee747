"""Renderers: Word (python-docx, with our own footnotes), Markdown (Jinja2), the chart, PDF."""
