"""Render layer: document models to JSON, HTML, PDF and CI formats. Renderers never compute."""
