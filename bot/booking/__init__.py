"""Social-worker appointments: sites, weekly availability, slots, bookings. Plain Python over
the app database, no Rasa (the conversation and the reminders build on it)."""
