"""Open Referral HSDS 3.0 interchange for the directory, pure both ways: `export` maps the
directory onto HSDS tables, `files` writes and reads them (JSON, the official tabular
package, an uploaded zip, the nested objects of an HSDS API), `plan` validates what a file
holds and turns it into upsert rows. interchange.py runs them against the graph."""

from referral_hub.directory.hsds.export import to_hsds
from referral_hub.directory.hsds.files import (
    ROWS_MAX,
    UNPACKED_MAX_BYTES,
    UPLOAD_MAX_BYTES,
    HsdsFileError,
    Tables,
    read,
    read_upload,
    write,
)
from referral_hub.directory.hsds.plan import ImportPlan, Problem, plan_import
from referral_hub.directory.hsds.terms import EXTENSION_TERMS, tag_term_id

__all__ = [
    "EXTENSION_TERMS",
    "ROWS_MAX",
    "UNPACKED_MAX_BYTES",
    "UPLOAD_MAX_BYTES",
    "HsdsFileError",
    "ImportPlan",
    "Problem",
    "Tables",
    "plan_import",
    "read",
    "read_upload",
    "tag_term_id",
    "to_hsds",
    "write",
]
