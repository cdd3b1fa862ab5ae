"""Readers of what happened and who said it: attribution and events, with their word lists."""
