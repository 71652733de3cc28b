from tests.api.conftest import bearer_for  # noqa: F401  (the API tests' token client)
