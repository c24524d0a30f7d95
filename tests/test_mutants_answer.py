"""Tests written against surviving mutants (issue #14): exact behaviour of rag.answer."""

from __future__ import annotations
