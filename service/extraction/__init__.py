"""Pure extraction: HTML or text in, value objects out. No database, no network."""

from .pipeline import EXTRACTOR_VERSION, extract_document
from .types import ExtractedArticle, ExtractionError, ExtractionErrorType, Sidebar, SidebarItem

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractedArticle",
    "ExtractionError",
    "ExtractionErrorType",
    "Sidebar",
    "SidebarItem",
    "extract_document",
]
