"""The systems app's kinds of the one history page (`core.history`), from its domains."""

from systems.breaches import history as breaches_history
from systems.register import history as register_history

register_history.register()
breaches_history.register()
