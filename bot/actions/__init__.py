"""Custom actions (rasa-sdk adapters over the plain modules of bot/).

`rasa run actions --actions bot.actions` imports every module of this package.
"""
