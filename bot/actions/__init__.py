"""Custom actions (rasa-sdk adapters over the plain modules of bot/).

`rasa run actions --actions bot.actions` imports every module of this package.
"""

import logging

# rasa_sdk warns on every form turn about each slot without a validate_ method; most of ours
# need none (their mappings already check them), so those warnings only drown real ones.
logging.getLogger("rasa_sdk.forms").setLevel(logging.ERROR)
