"""Type aliases for identifiers, so signatures say what a string is."""

from typing import Annotated

from pydantic import StringConstraints

PersonId = str
VendorId = str
ResourceId = str
ProjectId = str
TaskId = str
SkillId = str

#: An identifier as written in a scenario: non-empty, no surrounding blanks.
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
