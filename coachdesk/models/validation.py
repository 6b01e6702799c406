"""Turn pydantic's validation errors into the one line a coach reads."""

from pydantic import ValidationError


def first_problem(error: ValidationError) -> str:
    """`field: what is wrong`, for the first problem found."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "value"
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{where.replace('_', ' ')}: {message}"
