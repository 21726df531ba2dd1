package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is where and as whom mail is sent: serve's --smtp and
// --mail-from.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// Implicit: TLS from the first byte (smtps://, usually port 465).
	// Otherwise STARTTLS is required, unless NoTLS.
	Implicit bool
	// NoTLS sends in clear (?tls=none): for a test server on loopback only.
	NoTLS bool
	// From is the sender, "Newsroom <news@example.org>" or a bare address.
	From string
	// Timeout bounds one connection and its exchange; 0 means 30 s.
	Timeout time.Duration
}

// ParseSMTP reads serve's --smtp value, smtp://USER:PASS@HOST:587 (STARTTLS
// required) or smtps://USER:PASS@HOST:465 (implicit TLS), with ?tls=none
// for a test server on a loopback address. When the URL has a user but no
// password, password (NEWSDESK_SMTP_PASSWORD, so that it is not on the
// command line) is used. from is --mail-from.
func ParseSMTP(raw, password, from string) (SMTPConfig, error) {
	var c SMTPConfig
	// Neither error may quote what the URL parser made of a password
	// cut short: its pieces would be printed as a port, a path or a
	// parameter.
	if userinfoCut(raw) {
		return c, errors.New("--smtp: the user or password holds a / ? or # that is not percent-encoded, which ends the host's part of the URL early: " + encodeHint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			return c, errors.New("--smtp: the URL cannot be read (a % in the user or password that is not followed by two hex digits?): " + encodeHint)
		}
		return c, fmt.Errorf("--smtp: %v", redact(err))
	}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		c.Implicit = true
	default:
		return c, fmt.Errorf("--smtp: scheme %q: want smtp:// (STARTTLS) or smtps:// (implicit TLS)", u.Scheme)
	}
	c.Host = u.Hostname()
	if c.Host == "" {
		return c, errors.New("--smtp: no host (want smtp://USER:PASS@HOST:587)")
	}
	c.Port = 587
	if c.Implicit {
		c.Port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("--smtp: port %q is not a port number", p)
		}
		c.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return c, fmt.Errorf("--smtp: unexpected path %q", u.Path)
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return c, fmt.Errorf("--smtp: unknown parameter %q (only tls=none)", k)
		}
	}
	switch t := q.Get("tls"); t {
	case "":
	case "none":
		if c.Implicit {
			return c, errors.New("--smtp: tls=none with smtps:// makes no sense")
		}
		ip := net.ParseIP(c.Host)
		if c.Host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return c, fmt.Errorf("--smtp: tls=none is for a test server on a loopback address, not %s: mail and its password would cross the network in clear", c.Host)
		}
		c.NoTLS = true
	default:
		return c, fmt.Errorf("--smtp: tls=%q: the only value is none", t)
	}
	if u.User != nil {
		c.Username = u.User.Username()
		if p, ok := u.User.Password(); ok {
			c.Password = p
		} else {
			c.Password = password
		}
		if c.Username != "" && c.Password == "" {
			return c, errors.New("--smtp: a user but no password (put it in the URL or in NEWSDESK_SMTP_PASSWORD)")
		}
	}
	if from == "" {
		return c, errors.New("--mail-from is required with --smtp (e.g. \"Newsroom <news@example.org>\")")
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return c, fmt.Errorf("--mail-from %q: %v", from, err)
	}
	c.From = a.String()
	return c, nil
}

// encodeHint says how to give a password holding URL delimiters.
const encodeHint = "percent-encode / ? # % and @ in the user and password (%2F %3F %23 %25 %40), or leave the password out of the URL and put it in NEWSDESK_SMTP_PASSWORD"

// userinfoCut reports whether raw has an @ after the first / ? or # that
// follows its scheme: the user or password held one of them, which ended
// the URL's authority before the @ (a password "1234#x" would even be
// read as host "u", port 1234). No --smtp URL has an @ elsewhere.
func userinfoCut(raw string) bool {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return false
	}
	end := strings.IndexAny(rest, "/?#")
	return end >= 0 && strings.Contains(rest[end:], "@")
}

// redact drops the password from a url.Parse error, which quotes the URL.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.User != nil {
			return fmt.Errorf("%s: %v", u.Redacted(), ue.Err)
		}
		return ue.Err
	}
	return err
}

// String describes c without its password, for logs.
func (c SMTPConfig) String() string {
	scheme, tls := "smtp", "STARTTLS"
	if c.Implicit {
		scheme, tls = "smtps", "TLS"
	}
	if c.NoTLS {
		tls = "no TLS"
	}
	user := ""
	if c.Username != "" {
		user = c.Username + "@"
	}
	return fmt.Sprintf("%s://%s%s (%s) from %s", scheme, user, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), tls, c.From)
}

// SMTP sends mail through an SMTP server, one connection per message.
type SMTP struct {
	c SMTPConfig
}

// NewSMTP returns the Sender of c.
func NewSMTP(c SMTPConfig) *SMTP {
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	return &SMTP{c: c}
}

// String describes where s sends, without the password.
func (s *SMTP) String() string { return s.c.String() }

// sendError is a failed send; permanent when the server refused for good.
type sendError struct {
	err       error
	permanent bool
}

func (e *sendError) Error() string   { return e.err.Error() }
func (e *sendError) Unwrap() error   { return e.err }
func (e *sendError) Permanent() bool { return e.permanent }

// Send delivers m. An error that Permanent reports on will not go away by
// trying again.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Check(); err != nil {
		return &sendError{err: err, permanent: true}
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.c.From); err != nil {
		return &sendError{err: fmt.Errorf("mail: from: %w", err), permanent: true}
	}
	if err := msg.To(m.To...); err != nil {
		return &sendError{err: fmt.Errorf("mail: to: %w", err), permanent: true}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetUserAgent("Newsdesk")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.c.Port), gomail.WithTimeout(s.c.Timeout)}
	switch {
	case s.c.Implicit:
		opts = append(opts, gomail.WithSSL())
	case s.c.NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.c.Username != "" {
		// The best mechanism the server offers; in clear (?tls=none,
		// loopback only, where ParseSMTP allows it) PLAIN, which the
		// discovery leaves out without TLS.
		auth := gomail.SMTPAuthAutoDiscover
		if s.c.NoTLS {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.c.Username), gomail.WithPassword(s.c.Password))
	}
	client, err := gomail.NewClient(s.c.Host, opts...)
	if err != nil {
		return &sendError{err: fmt.Errorf("mail: %w", err), permanent: true}
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		perm := errors.As(err, &se) && !se.IsTemp() && smtpCode(err) >= 500
		return &sendError{err: fmt.Errorf("mail: sending through %s:%d: %w", s.c.Host, s.c.Port, err), permanent: perm}
	}
	return nil
}

// smtpCode finds the first three-digit SMTP reply code in err's text, 0
// when there is none (a connection that failed, a timeout).
func smtpCode(err error) int {
	s := err.Error()
	for i := 0; i+3 <= len(s); i++ {
		if (i == 0 || s[i-1] == ' ' || s[i-1] == ':') && s[i] >= '4' && s[i] <= '5' &&
			s[i+1] >= '0' && s[i+1] <= '9' && s[i+2] >= '0' && s[i+2] <= '9' &&
			(i+3 == len(s) || s[i+3] == ' ' || s[i+3] == '-') {
			n, _ := strconv.Atoi(s[i : i+3])
			return n
		}
	}
	return 0
}

var _ Sender = (*SMTP)(nil)
