"""Shared pydantic configuration for every domain model."""

from pydantic import BaseModel, ConfigDict


class DomainModel(BaseModel):
    """Base of all domain models: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False)
