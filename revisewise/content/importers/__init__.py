"""Readers that turn content files into plain data; `revisewise.content.services` stores it."""

from __future__ import annotations
