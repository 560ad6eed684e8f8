"""Content services: import files, export the canonical YAML, record revisions.

`importing` reads revision pages, tabbed files and YAML into units and items; `canonical` holds
the YAML import and export; `revisions` the append-only history; `common` what they share.
"""

from __future__ import annotations

from revisewise.content.services.canonical import (
    qualification_export_yaml,
    qualification_import,
)
from revisewise.content.services.common import (
    ImportFileError,
    ImportReport,
    ImportResult,
    content_item_key,
)
from revisewise.content.services.importing import content_import_paths, unit_import
from revisewise.content.services.revisions import (
    qualification_save_revision,
    qualification_snapshot,
    unit_save_revision,
    unit_snapshot,
)

__all__ = [
    "ImportFileError",
    "ImportReport",
    "ImportResult",
    "content_import_paths",
    "content_item_key",
    "qualification_export_yaml",
    "qualification_import",
    "qualification_save_revision",
    "qualification_snapshot",
    "unit_import",
    "unit_save_revision",
    "unit_snapshot",
]
