"""Turn pydantic's validation errors into the one line a coach reads."""

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coachdesk.errors import ValidationFailed


def first_problem(error: ValidationError) -> str:
    """`field: what is wrong` for the first problem found (just what is wrong when the
    check spans the whole record)."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    message = str(problem["msg"]).removeprefix("Value error, ")
    return f"{where.replace('_', ' ')}: {message}" if where else message


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: object) -> M:
    """`model` built from `data`, or ValidationFailed with the first problem as its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(first_problem(exc)) from None
