"""Arabic named entities: a trained CRF tagger, its features, training and evaluation.

``load_tagger()`` (in :mod:`marsad.ner.model`) gives the packaged tagger;
:mod:`marsad.ner.conll` reads and tags CoNLL files, :mod:`marsad.ner.evaluate`
scores them, :mod:`marsad.ner.train` rebuilds the artifact from ANERcorp.
"""
