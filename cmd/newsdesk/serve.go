package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/newsdesk/newsdesk/internal/admin"
	"github.com/newsdesk/newsdesk/internal/api"
	"github.com/newsdesk/newsdesk/internal/demo"
	"github.com/newsdesk/newsdesk/internal/ingest"
	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/mail/outbox"
	"github.com/newsdesk/newsdesk/internal/netx"
	"github.com/newsdesk/newsdesk/internal/site"
	"github.com/newsdesk/newsdesk/internal/webhook"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c        commonFlags
		sf       siteFlags
		addr     string
		demoData bool
		logJSON  bool
		hub      string
		proxies  stringList
		strict   bool
	)
	c.register(fs)
	sf.register(fs, "; default http://ADDR")
	c.registerMedia(fs, getenv)
	c.media.startAnyway = true
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "`address` to listen on")
	fs.BoolVar(&strict, "strict-hosts", false, "answer 421 to a request for a host that is none of the site's addresses, instead of serving it as the primary")
	fs.BoolVar(&demoData, "demo", false, "fill an empty database with the sample newsroom")
	fs.BoolVar(&logJSON, "log-json", false, "write logs as JSON lines")
	fs.Var(&proxies, "trusted-proxy", "a reverse proxy's `address` or CIDR block whose X-Forwarded-For, -Proto and -Host are believed (repeatable)")
	fs.StringVar(&hub, "websub-hub", "", "a WebSub hub `URL` announced in the feeds and told of every change")
	// A CDN in front: where the surrogate keys of each change go.
	purgeURL := fs.String("purge-url", "", "a `URL` that is sent {\"keys\": [...]} in a POST after each change, to purge a CDN by surrogate key")
	// The page cache's bound, and how soon other processes' changes are
	// seen.
	cacheMB := fs.Int("cache-mb", 64, "most `megabytes` of rendered pages the page cache keeps (least recently used go first)")
	poll := fs.Duration("poll-interval", 50*time.Millisecond, "how often the change log is read, to learn of imports and other instances' changes (`duration`)")
	// Password checks (argon2id, 19 MiB each) at once, and how many logins
	// may wait for one before the rest are answered 503 at once.
	loginHashes := fs.Int("login-hashes", admin.DefaultLoginHashes(), "how many password checks run at once (`number`; each takes 19 MiB and about 25 ms of a core); default: half the cores")
	loginQueue := fs.Int("login-queue", 32, "most logins that wait for a password check; more are answered 503 at once (`number`)")
	// Webhooks are sent to public addresses only, unless the operator
	// says the receivers are on this machine or the local network.
	hooksPrivate := fs.Bool("webhook-allow-private", false, "let webhook endpoints be on loopback and private addresses (refused otherwise, when registered and when sent to); link-local addresses and cloud metadata services stay refused")
	// Mail (invitations, password resets, notifications): any SMTP server.
	smtpURL := fs.String("smtp", "", "send mail through this SMTP server: smtp://USER:PASS@HOST:587 (STARTTLS required) or smtps://USER:PASS@HOST:465; the password may be left out of the URL and put in NEWSDESK_SMTP_PASSWORD")
	mailFrom := fs.String("mail-from", "", "the sender of the newsroom's mail, e.g. \"Newsroom <news@example.org>\" (required with --smtp)")
	if err := parseFlags(fs, args, getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("serve: unexpected argument %q", fs.Arg(0))}
	}
	if *cacheMB < 1 || *cacheMB > 1<<20 {
		return usageError{fmt.Sprintf("--cache-mb %d: give a number of megabytes from 1 up", *cacheMB)}
	}
	if *poll < 5*time.Millisecond || *poll > time.Minute {
		return usageError{fmt.Sprintf("--poll-interval %s: give a duration from 5ms to 1m", *poll)}
	}
	if *loginHashes < 1 || *loginHashes > 1024 {
		return usageError{fmt.Sprintf("--login-hashes %d: give a number from 1 to 1024", *loginHashes)}
	}
	if *loginQueue < 1 || *loginQueue > 100000 {
		return usageError{fmt.Sprintf("--login-queue %d: give a number from 1 to 100000", *loginQueue)}
	}
	// Mistakes in the flags are reported before anything starts.
	if _, err := sf.config("http://" + addr); err != nil {
		return err
	}
	if err := c.media.check(); err != nil {
		return err
	}
	// One set of trusted proxies for the whole program: the site, the
	// newsroom and the API read client addresses, HTTPS and the host
	// through it.
	trusted, err := netx.ParseProxies(proxies)
	if err != nil {
		return usageError{"--trusted-proxy: " + err.Error()}
	}
	var mailer mail.Sender // nil: mail is not configured
	if *smtpURL != "" {
		mc, err := mail.ParseSMTP(*smtpURL, getenv("NEWSDESK_SMTP_PASSWORD"), *mailFrom)
		if err != nil {
			return usageError{err.Error()}
		}
		mailer = mail.NewSMTP(mc)
	} else if *mailFrom != "" {
		return usageError{"--mail-from without --smtp: give the SMTP server too"}
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if logJSON {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(handler)

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	cfg, err := sf.config("http://" + ln.Addr().String())
	if err != nil {
		return err
	}
	if cfg.WebSubHub, err = site.ParseWebSubHub(hub); err != nil {
		return usageError{err.Error()}
	}
	if cfg.PurgeURL, err = site.ParsePurgeURL(*purgeURL); err != nil {
		return usageError{err.Error()}
	}
	cfg.StrictHosts, cfg.Proxies = strict, trusted
	cfg.CacheBytes, cfg.PollInterval = int64(*cacheMB)<<20, *poll
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		// Each cached page served leaves a few kilobytes of garbage (most
		// of it net/http's), over a heap that is mostly the page cache's
		// bytes, which hold no pointers. Collecting at 5x the live heap
		// rather than 2x, under a soft limit of the cache plus 256 MB that
		// keeps the peak bounded, gave about 7% more cached pages a
		// second and a p99 about 1.5 ms lower, in six runs each way
		// (docs/performance.md). GOGC and GOMEMLIMIT, when set, decide.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(cfg.CacheBytes + 256<<20)
	}
	if demoData && sf.siteName == "Newsdesk" && getenv("NEWSDESK_SITE_NAME") == "" {
		cfg.Name = demo.SiteName
	}

	c.log = log // the data folder's warnings, in the server's log
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	if err := site.RecordFlagAddresses(ctx, st, cfg); err != nil {
		return err
	}

	if demoData {
		if err := loadDemo(ctx, &ingest.Importer{Store: st, Media: ms}, log); err != nil {
			return err
		}
	}

	s, err := site.New(cfg, st, ms, log)
	if err != nil {
		return err
	}
	go s.Watch(ctx)
	newsroom, err := mountNewsroom(ctx, cfg, admin.LoginLimits{Hashes: *loginHashes, Queue: *loginQueue}, *hooksPrivate, mailer, st, ms, s, log)
	if err != nil {
		return err
	}
	// The webhooks' outbox, drained by every instance; each delivery is
	// claimed by one.
	go webhook.New(st, webhook.Options{AllowPrivate: *hooksPrivate}, log).Run(ctx)
	// The mail outbox, drained by every instance with --smtp; each message
	// is claimed by one.
	if mailer != nil {
		log.Info("mail is sent", "through", mailer)
		go outbox.New(st, mailer, outbox.Options{}, log).Run(ctx)
	}
	// The JSON API for apps, beside the site and the newsroom. Its links
	// keep an app on the address it came through, as the site's do for
	// readers.
	apiHandler := s.WithHosts(api.New(api.Config{BaseURL: cfg.BaseURL, Here: s.Here, PageSize: cfg.PageSize, Proxies: cfg.Proxies, Site: s,
		Writes: api.Writes{Media: ms, Notify: apiNotifier(cfg.BaseURL, cfg.Name, mailer)}}, st, log).Handler())
	srv := &http.Server{
		Handler:           route(s.Handler(), newsroom, apiHandler),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(handler, slog.LevelWarn),
	}
	log.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String(), "engine", st.Engine())
	fmt.Fprintf(stdout, "Newsdesk is serving %s at http://%s/\n", cfg.Name, ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo fills an empty database with the sample newsroom, through the
// same importer operators use.
func loadDemo(ctx context.Context, im *ingest.Importer, log *slog.Logger) error {
	counts, err := im.Store.CountArticles(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total > 0 {
		log.Info("demo: the database has articles already; not loading the sample newsroom", "articles", total)
		return nil
	}
	start := time.Now()
	results, err := im.ImportTree(ctx, demo.Content, "content")
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			return fmt.Errorf("demo: %w", r.Err)
		}
	}
	// Its standing pages: About, Contact, the policies.
	if err := demo.LoadPages(ctx, im.Store); err != nil {
		return err
	}
	log.Info("demo: loaded the sample newsroom", "articles", len(results), "took", time.Since(start).Round(time.Millisecond))
	return nil
}
