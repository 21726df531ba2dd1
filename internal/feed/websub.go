package feed

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Hub tells a WebSub hub that feeds have changed, so that it fetches them
// and pushes them to their subscribers at once instead of at their next
// poll. WebSub leaves publishing to each hub; every public hub takes the
// form used here: a POST of hub.mode=publish and hub.url=<feed URL>.
type Hub struct {
	URL    string
	Client *http.Client // nil: http.DefaultClient; the caller's ctx bounds the time
}

// Publish announces one changed feed. A hub answers 2xx when it takes the
// notice; anything else is an error naming the status.
func (h *Hub) Publish(ctx context.Context, topic string) error {
	form := url.Values{"hub.mode": {"publish"}, "hub.url": {topic}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", Generator+" (WebSub publisher)")
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("websub: %w", err)
	}
	defer res.Body.Close()
	// Read a little of the answer so the connection can be reused.
	io.Copy(io.Discard, io.LimitReader(res.Body, 4<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("websub: the hub at %s answered %s for %s", h.URL, res.Status, topic)
	}
	return nil
}
