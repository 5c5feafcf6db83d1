"""Input and output shapes of the partners API, one module per audience as in ``partners.api``.

Shapes more than one audience renders live in ``common``.
"""
