package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestHelperServe is not a test: TestKillDuringSavesLosesNothing runs the
// test binary again with NEWSDESK_HELPER_SERVE set, and this runs serve in
// that process, so it can be killed.
func TestHelperServe(t *testing.T) {
	raw := os.Getenv("NEWSDESK_HELPER_SERVE")
	if raw == "" {
		t.Skip("runs only as the server of TestKillDuringSavesLosesNothing")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), args, os.Getenv, nil, os.Stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
}

var savedIDPattern = regexp.MustCompile(`^/admin/articles/(\d+)\?done=`)

// TestKillDuringSavesLosesNothing kills the server (SIGKILL: no shutdown,
// no flush) while four writers are saving as fast as they can, then opens
// the database again: every save the server acknowledged is there.
func TestKillDuringSavesLosesNothing(t *testing.T) {
	if os.Getenv("NEWSDESK_HELPER_SERVE") != "" {
		t.Skip("inside the helper")
	}
	storetest.Engines(t, func(t *testing.T, dsn string) {
		data := t.TempDir()
		vars := map[string]string{"NEWSDESK_DATA": data, "NEWSDESK_DB": dsn}
		ctx := context.Background()
		if err := run(ctx, []string{"user", "add", "--email", "w@example.org", "--name", "Writer", "--role", "editor", "--password-stdin"},
			env(vars), strings.NewReader("writer's long password\n"), io.Discard, io.Discard); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(ctx, dsnOf(vars))
		if err != nil {
			t.Fatal(err)
		}
		sec, err := st.EnsureSectionPath(ctx, "news")
		st.Close()
		if err != nil {
			t.Fatal(err)
		}

		args, _ := json.Marshal([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--db", dsn})
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
		cmd.Env = append(os.Environ(), "NEWSDESK_HELPER_SERVE="+string(args))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killed := false
		t.Cleanup(func() {
			if !killed {
				cmd.Process.Kill()
			}
			cmd.Wait()
		})
		line, err := bufio.NewReader(out).ReadString('\n')
		i := strings.Index(line, "http://")
		if err != nil || i < 0 {
			t.Fatalf("the server said %q, %v", line, err)
		}
		base := strings.TrimSuffix(strings.TrimSpace(line[i:]), "/")
		go io.Copy(io.Discard, out)

		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.PostForm(base+"/admin/login", url.Values{"email": {"w@example.org"}, "password": {"writer's long password"}})
		if err != nil || res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %v %v", res, err)
		}
		res.Body.Close()

		const writers = 4
		type result struct {
			id    int64
			acked int // the last save the server answered with success
		}
		results := make([]result, writers)
		var wg sync.WaitGroup
		// The kill waits until every story exists: on a busy machine a
		// create could otherwise still be in flight at the kill.
		var created sync.WaitGroup
		created.Add(writers)
		stop := make(chan struct{})
		for w := range writers {
			wg.Go(func() {
				form := url.Values{"headline": {fmt.Sprintf("Story %d", w)}, "section": {strconv.FormatInt(sec.ID, 10)}, "body": {"save 0"}}
				res, err := client.PostForm(base+"/admin/articles", form)
				created.Done()
				if err != nil {
					t.Errorf("creating story %d: %v", w, err)
					return
				}
				res.Body.Close()
				m := savedIDPattern.FindStringSubmatch(res.Header.Get("Location"))
				if m == nil {
					t.Errorf("creating story %d: %d %q", w, res.StatusCode, res.Header.Get("Location"))
					return
				}
				results[w].id, _ = strconv.ParseInt(m[1], 10, 64)
				for k := 1; ; k++ {
					select {
					case <-stop:
						return
					default:
					}
					form.Set("body", fmt.Sprintf("save %d", k))
					form.Set("base", strconv.Itoa(k)) // revision k holds save k-1
					res, err := client.PostForm(base+"/admin/articles/"+m[1], form)
					if err != nil {
						return // the server is gone: this save was never acknowledged
					}
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusSeeOther {
						t.Errorf("story %d save %d: %d", w, k, res.StatusCode)
						return
					}
					results[w].acked = k
				}
			})
		}
		created.Wait()
		time.Sleep(1500 * time.Millisecond)
		cmd.Process.Kill() // SIGKILL, mid-save
		killed = true
		close(stop)
		wg.Wait()
		cmd.Wait()

		st, err = store.Open(ctx, dsnOf(vars))
		if err != nil {
			t.Fatalf("reopening after the kill: %v", err)
		}
		defer st.Close()
		total := 0
		for w, r := range results {
			if r.id == 0 {
				continue
			}
			total += r.acked
			revs, err := st.Revisions(ctx, r.id)
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, rv := range revs {
				full, err := st.Revision(ctx, r.id, rv.Number)
				if err != nil {
					t.Fatal(err)
				}
				have[full.Content.Body] = true
			}
			for k := 0; k <= r.acked; k++ {
				if !have[fmt.Sprintf("save %d", k)] {
					t.Errorf("story %d: acknowledged save %d is lost", w, k)
				}
			}
			a, err := st.ArticleByID(ctx, r.id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != fmt.Sprintf("save %d", r.acked) && a.Body != fmt.Sprintf("save %d", r.acked+1) {
				t.Errorf("story %d: the article holds %q, want save %d (or the one in flight)", w, a.Body, r.acked)
			}
		}
		if total < writers {
			t.Fatalf("only %d saves acknowledged before the kill: the test proved little", total)
		}
		t.Logf("%d saves acknowledged before SIGKILL, all of them found after", total)
	})
}
