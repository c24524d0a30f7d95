"""Tests written against surviving mutants (issue #14): exact behaviour of rag.understand."""

from __future__ import annotations
