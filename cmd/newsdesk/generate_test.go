package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

func TestGenerateCommand(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		vars := map[string]string{"NEWSDESK_DATA": dir, "NEWSDESK_SEED": "4"}
		if strings.HasPrefix(dsn, "postgres") {
			vars["NEWSDESK_DB"] = dsn
		} else {
			vars["NEWSDESK_DATA"] = strings.TrimSuffix(dsn, "/newsdesk.db")
		}
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"generate", "--articles", "30", "--until", "2026-11-30"}, env(vars), nil, &out, &errOut)
		if err != nil {
			t.Fatalf("generate: %v\n%s", err, errOut.String())
		}
		if !strings.HasPrefix(out.String(), "generated 30 articles") {
			t.Errorf("stdout %q", out.String())
		}
		out.Reset()
		errOut.Reset()
		// An archive is for an empty database only.
		err = run(context.Background(), []string{"generate", "--articles", "5"}, env(vars), nil, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "has 30 articles already") {
			t.Errorf("a second run into the same database: %v, want a refusal", err)
		}
		for _, args := range [][]string{
			{"generate", "--articles", "0"},
			{"generate", "--until", "yesterday"},
			{"generate", "extra"},
		} {
			err := run(context.Background(), args, env(vars), nil, &out, &errOut)
			if err == nil || exitCode(err) != 2 {
				t.Errorf("%q: %v (exit %d), want a usage error", args, err, exitCode(err))
			}
		}
	})
}
