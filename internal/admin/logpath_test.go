package admin

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestFailureLogsNoLinkToken: a request on a one-time link that fails on
// our side (the database away a moment) is logged, and the link still
// works afterwards (nothing was used): its path, token and all, was
// written to the log, where anyone who reads the logs could use it. The
// log names the route instead.
func TestFailureLogsNoLinkToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		token, _ := auth.NewToken()
		for _, pattern := range []string{"POST /admin/reset/{token}", "POST /admin/account/email/{token}", "POST /admin/invite/{token}", "GET /admin/setup/{token}"} {
			method, path, _ := strings.Cut(pattern, " ")
			r := httptest.NewRequest(method, strings.Replace(path, "{token}", token, 1), nil)
			r.Pattern = pattern
			f.adm.fail(httptest.NewRecorder(), r, errors.New("the database went away"))
		}
		logs := f.logs.String()
		if strings.Contains(logs, token) {
			t.Fatalf("the log holds a link's token:\n%s", logs)
		}
		if !strings.Contains(logs, "/admin/reset/{token}") {
			t.Fatalf("the log does not name the route:\n%s", logs)
		}
	})
}
