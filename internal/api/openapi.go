package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 description of the API, written by hand and
// checked by the tests against every answer they see, and by a client
// generated from it (client_gen_test.go, made again by go generate after
// a change; testdata/openapi.sha256 records the description it was made
// from and what was made, and TestGeneratedClientIsCurrent fails when
// either has changed since).
//
//go:embed openapi.json
var openAPI []byte

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.9.0 -config testdata/oapi-codegen.yaml openapi.json
//go:generate sh -c "sha256sum openapi.json client_gen_test.go > testdata/openapi.sha256"

// showOpenAPI answers GET /api/v1/openapi.json.
func (a *API) showOpenAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", cacheShort)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(openAPI)
	}
}
