"""Support meetings (支援会議): the meetings domain's part of the API (docs/meetings.md)."""
