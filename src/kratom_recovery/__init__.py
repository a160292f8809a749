"""kratom-recovery: support for people stopping kratom and the clinicians who care for them."""

__version__ = "0.1.0"
