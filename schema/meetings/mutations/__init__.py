"""The meetings domain's mutations."""
