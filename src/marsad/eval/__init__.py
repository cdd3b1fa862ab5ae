"""Evaluation of marsad components on annotated sets (``marsad eval ...``)."""
