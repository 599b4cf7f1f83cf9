"""The facts of each language the assistant speaks, as data: bot/languages/words/<lang>.yaml."""
