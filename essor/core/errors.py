"""One error format for the whole API: {"error": {"code": ..., "message": ..., "details": ...}}."""

from django.http import Http404
from ninja.errors import HttpError, ValidationError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def error_body(code: str, message: str, details=None) -> dict:
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return body


def install_error_handlers(api) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        details = [
            {"field": ".".join(str(p) for p in err.get("loc", [])[1:]), "message": err.get("msg", "")}
            for err in exc.errors
        ]
        return api.create_response(
            request, error_body("invalid_parameters", "Invalid parameters.", details), status=400
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, error_body("not_found", str(exc) or "Not found."), status=404)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return api.create_response(request, error_body("http_error", str(exc)), status=exc.status_code)
