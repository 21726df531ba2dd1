package search

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

func TestParseRequest(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		query   string
		want    Request
		wantErr string // the field at fault
	}{
		{query: "", want: Request{Page: 1}},
		{query: "q=grain+corridor", want: Request{Q: "grain corridor", Page: 1}},
		{query: "q=port&section=news/europe/&from=2024-01-01&to=2024-12-31&page=3",
			want: Request{Q: "port", Section: "news/europe", From: "2024-01-01", To: "2024-12-31",
				Since: day("2024-01-01"), Before: day("2025-01-01"), Page: 3}},
		{query: "q=port&to=2024-02-29", want: Request{Q: "port", To: "2024-02-29", Before: day("2024-03-01"), Page: 1}},
		{query: "q=port&from=2024-05-05&to=2024-05-05", want: Request{Q: "port", From: "2024-05-05", To: "2024-05-05",
			Since: day("2024-05-05"), Before: day("2024-05-06"), Page: 1}},
		{query: "q=a%00b%FF", want: Request{Q: "a b", Page: 1}},
		{query: "section=News", wantErr: "section"},
		{query: "section=news/../admin", wantErr: "section"},
		{query: "section=news//europe", wantErr: "section"},
		{query: "from=yesterday", wantErr: "from"},
		{query: "from=2024-13-01", wantErr: "from"},
		{query: "to=2023-02-29", wantErr: "to"},
		{query: "from=2024-05-06&to=2024-05-05", wantErr: "to"},
		{query: "page=0", wantErr: "page"},
		{query: "page=-1", wantErr: "page"},
		{query: "page=two", wantErr: "page"},
		{query: "page=99999999999999999999", wantErr: "page"},
		{query: "page=1001", wantErr: "page"},
	}
	for _, tt := range tests {
		v, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseRequest(v)
		if tt.wantErr != "" {
			var ne *news.Error
			if news.ErrorCode(err) != news.EINVALID || !errors.As(err, &ne) || ne.Field != tt.wantErr {
				t.Errorf("ParseRequest(%q) error = %v, want an EINVALID error about %s", tt.query, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseRequest(%q) error = %v", tt.query, err)
			continue
		}
		got.Query = Query{}
		if got.Q != tt.want.Q || got.Section != tt.want.Section || got.From != tt.want.From || got.To != tt.want.To ||
			!got.Since.Equal(tt.want.Since) || !got.Before.Equal(tt.want.Before) || got.Page != tt.want.Page {
			t.Errorf("ParseRequest(%q) =\n\t%+v\nwant\n\t%+v", tt.query, got, tt.want)
		}
	}
}

func TestRequestValues(t *testing.T) {
	v, _ := url.ParseQuery("q=grain+corridor&section=news&from=2024-01-01&page=2")
	r, err := ParseRequest(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := r.Values(3, true).Encode(), "from=2024-01-01&page=3&q=grain+corridor&section=news"; got != want {
		t.Errorf("Values(3, true) = %q, want %q", got, want)
	}
	if got, want := r.Values(1, false).Encode(), "q=grain+corridor"; got != want {
		t.Errorf("Values(1, false) = %q, want %q", got, want)
	}
	long, _ := ParseRequest(url.Values{"q": {strings.Repeat("é", 3000)}})
	if n := len(long.Q); n > maxScan {
		t.Errorf("a 6,000-byte query keeps %d bytes, want at most %d", n, maxScan)
	}
	if n := len([]rune(long.Short())); n > maxShown+1 {
		t.Errorf("Short() has %d characters, want at most %d", n, maxShown+1)
	}
}
