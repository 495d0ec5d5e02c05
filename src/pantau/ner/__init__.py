"""pantau's statistical Indonesian NER model (PER / ORG / LOC): corpora readers, training, evaluation, the shipped
model (``pantau.ner.model.model_entities``) and the ``train-ner`` / ``eval-ner`` commands. See docs/ner.md."""
