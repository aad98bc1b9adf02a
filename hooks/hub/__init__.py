"""Engine-independent core of the AI-news hub: stories in, catalogue and pages out.

Nothing in this package imports MkDocs; `hooks/hub_mkdocs.py` wires it to MkDocs events.
"""
