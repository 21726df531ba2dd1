package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/newsdesk/newsdesk/internal/admin"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// mountNewsroom puts the newsroom at /admin/ beside the public site, starts
// the scheduler, and logs the one-time setup link while no account exists.
// The newsroom believes forwarding headers from the same proxies as the
// site (cfg.Proxies).
func mountNewsroom(ctx context.Context, cfg site.Config, st *store.Store, ms *media.Store, s *site.Site, log *slog.Logger) (http.Handler, error) {
	adm, err := admin.New(admin.Config{BaseURL: cfg.BaseURL, SiteName: cfg.Name, Proxies: cfg.Proxies, Changed: s.Changed}, st, ms, log)
	if err != nil {
		return nil, err
	}
	link, err := adm.SetupLink(ctx)
	if err != nil {
		return nil, err
	}
	if link != "" {
		log.Warn("no newsroom account exists yet: open this link within an hour to create the first admin (or use: newsdesk user add)", "link", link)
	}
	go adm.RunScheduler(ctx)
	mux := http.NewServeMux()
	newsroom := adm.Handler()
	mux.Handle("/admin/", newsroom)
	mux.Handle("/admin", newsroom)
	mux.Handle("/", s.Handler())
	return mux, nil
}
