package generate

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
)

func TestProfGen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "n.db"))
	if err != nil { t.Fatal(err) }
	defer st.Close()
	ms, _ := media.OpenStore(filepath.Join(dir, "m"))
	defer ms.Close()
	if _, err := Generate(ctx, st, ms, Options{Articles: 10000, Seed: 1}); err != nil { t.Fatal(err) }
}
