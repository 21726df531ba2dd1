package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/newsdesk/newsdesk/internal/admin"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/media"
	nr "github.com/newsdesk/newsdesk/internal/newsroom"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/store"
)

// mountNewsroom puts the newsroom at /admin/ beside the public site, starts
// the scheduler, and logs the one-time setup link while no account exists.
// The newsroom believes forwarding headers from the same proxies as the
// site (cfg.Proxies). login bounds the password checks of logins; mailer
// sends the newsroom's mail (nil: mail is not configured).
func mountNewsroom(ctx context.Context, cfg site.Config, login admin.LoginLimits, hooksPrivate bool, mailer mail.Sender, st *store.Store, ms *media.Store, s *site.Site, log *slog.Logger) (http.Handler, error) {
	adm, err := admin.New(admin.Config{BaseURL: cfg.BaseURL, SiteName: cfg.Name, Proxies: cfg.Proxies, Changed: s.Changed, Login: login, Preview: s.RenderPreview,
		WebhookAllowPrivate: hooksPrivate, Mail: mailer}, st, ms, log)
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
	return adm.Handler(), nil
}

// route sends each request to the part of the program that answers it, by
// the start of its path. It is a comparison of strings rather than a
// ServeMux because every cached page passes through it; each part cleans
// and matches its own paths after.
func route(site, newsroom, api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/api/"):
			api.ServeHTTP(w, r)
		case p == "/admin" || strings.HasPrefix(p, "/admin/"):
			newsroom.ServeHTTP(w, r)
		default:
			site.ServeHTTP(w, r)
		}
	})
}

// apiNotifier is how the API tells a writer that their story was
// published or corrected through it: as the newsroom does, in the
// newsroom and, when mail is configured (mailer not nil), by email.
func apiNotifier(base *url.URL, siteName string, mailer mail.Sender) nr.Notifier {
	n := nr.Notifier{Mail: mailer != nil, SiteName: siteName}
	if base != nil {
		n.BaseURL = base.String()
	}
	return n
}
