"""The one error type the clinical core raises for bad input."""


class InvalidInput(ValueError):
    """Input that cannot be used, naming the field and what is allowed.

    Every layer maps it the same way: a form error, an API 422 body, CLI exit status 2.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
