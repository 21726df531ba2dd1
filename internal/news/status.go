package news

import "net/http"

// HTTPStatus maps an error's kind to the HTTP status every surface (site,
// newsroom, APIs) answers it with: one table, so they cannot disagree.
func HTTPStatus(err error) int {
	switch ErrorCode(err) {
	case ENOTFOUND:
		return http.StatusNotFound
	case EINVALID:
		return http.StatusBadRequest
	case ECONFLICT:
		return http.StatusConflict
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case EFORBIDDEN:
		return http.StatusForbidden
	case EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
