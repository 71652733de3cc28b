from tests.api.conftest import bearer_for

__all__ = ["bearer_for"]
