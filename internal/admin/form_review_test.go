package admin

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestFormFilesLeaveNoTemporaryFiles sends every route whose form may hold
// a file larger than formMemory (read from the route table) a multipart
// form with such a file, through a real server, and checks no temporary
// file of it is left behind. The form is read into the copy of the
// request guard makes, which the server does not clean up: every photo
// over 1 MB, saved or refused, once stayed in the temporary folder, so a
// writer could fill the disk 22 MB a request.
func TestFormFilesLeaveNoTemporaryFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp) // where mime/multipart spills (os.TempDir)
		f := newFixture(t, st)
		targets := f.routeTargets(t)
		left := func() []string {
			var names []string
			ents, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), "multipart-") {
					names = append(names, e.Name())
				}
			}
			return names
		}
		file := bytes.Repeat([]byte("not a photo "), (formMemory+formMemory/2)/12) // 1.5 MB: spills
		tried := 0
		for _, rt := range f.adm.routes() {
			method, _, ok := strings.Cut(rt.pattern, " ")
			if !ok || method == http.MethodGet || rt.form.max < int64(len(file))+4<<10 {
				continue
			}
			tried++
			form := editorForm(targets.article)
			res := f.as(t, f.leastRole(rt.action)).postFile(targets.path(t, rt.pattern), form, "big.jpg", file)
			if res.status >= 500 || res.status == http.StatusRequestEntityTooLarge {
				t.Errorf("%s: status %d\n%.300s", rt.pattern, res.status, res.body)
			}
			// The files go when the handler returns, before the answer is
			// sent; a generous wait keeps a slow machine from failing it.
			deadline := time.Now().Add(2 * time.Second)
			for len(left()) > 0 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if names := left(); len(names) > 0 {
				t.Errorf("%s (status %d) left %d temporary files: %v", rt.pattern, res.status, len(names), names)
				for _, n := range names {
					os.Remove(tmp + "/" + n)
				}
			}
		}
		if tried < 5 {
			t.Errorf("only %d routes take a file larger than %d bytes", tried, formMemory)
		}
	})
}

// TestFormWithTooManyPartsSaysSo sends a form of a few hundred KB with more
// fields than mime/multipart reads: it is refused (413), with a message
// that says why, not that the form is larger than its limit.
func TestFormWithTooManyPartsSaysSo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		mw.WriteField("body", "A short body.")
		for range formParts + 500 {
			mw.WriteField("f", "v")
		}
		mw.Close()
		res := f.as(t, "contributor").direct(f.adm.Handler(), "POST", "/admin/preview", mw.FormDataContentType(), mp.Bytes(), int64(mp.Len()), "application/json")
		var answer map[string]string
		if err := json.Unmarshal([]byte(res.body), &answer); err != nil || res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("%d fields (%d bytes): %d %s, want 413", formParts+501, mp.Len(), res.status, res.body)
		}
		msg := answer["error"]
		for _, s := range []string{"preview form", "more fields", "1000 fields", "nothing was saved"} {
			if !strings.Contains(msg, s) {
				t.Errorf("the answer does not say %q: %s", s, msg)
			}
		}
		if strings.Contains(msg, "larger than") {
			t.Errorf("a form of %d bytes is said to be larger than its limit: %s", mp.Len(), msg)
		}
	})
}
