// Package mail is Newsdesk's outgoing email: the Message, the Sender that
// delivers one, and the SMTP sender that serve runs with
// (serve --smtp smtp://USER:PASS@HOST:587 --mail-from "Newsroom <news@example.org>").
//
// # Sending mail from a change
//
// Nothing sends mail directly from a request. A message is written to the
// outbox (the mail_outbox table) in the transaction of the change that
// causes it, so it goes out if and only if the change is committed, and is
// not lost when the SMTP server is briefly down:
//
//	err := st.InTx(ctx, func(tx *store.Store) error {
//		// ... the change ...
//		return tx.EnqueueMail(ctx, mail.Message{To: []string{addr}, Subject: s, Text: body})
//	})
//
// The outbox worker (package mail/outbox), one per serve process, sends
// the pending messages with retries and backoff; after a bounded number of
// attempts a message is marked failed and listed for admins in the
// newsroom (/admin/mail). When several instances share PostgreSQL each
// message is claimed by one of them (FOR UPDATE SKIP LOCKED) and sent once.
//
// Enqueue only when mail is configured: the surfaces hold a Sender, nil when
// serve runs without --smtp, and should enqueue nothing then (a message
// enqueued without a worker stays pending until one runs). Message bodies
// are cleared from the outbox once sent or failed, since some carry
// one-time links.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Message is one email.
type Message struct {
	To      []string // addresses
	Subject string
	Text    string // plain text body (always)
	HTML    string // optional
}

// Sender sends mail. A nil Sender means mail is not configured.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Limits on a message, so that a bad caller cannot fill the outbox with
// something no server would take.
const (
	MaxRecipients = 50
	MaxSubject    = 998 // RFC 5322's line limit
	MaxBody       = 1 << 20
)

// Check reports what is wrong with m, naming the field; nil when it can
// be sent.
func (m Message) Check() error {
	if len(m.To) == 0 {
		return errors.New("mail: message has no recipient (To)")
	}
	if len(m.To) > MaxRecipients {
		return fmt.Errorf("mail: message has %d recipients, more than %d", len(m.To), MaxRecipients)
	}
	for i, a := range m.To {
		if err := CheckAddress(a); err != nil {
			return fmt.Errorf("mail: To[%d]: %w", i, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" {
		return errors.New("mail: message has no Subject")
	}
	if len(m.Subject) > MaxSubject || strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("mail: Subject must be one line of at most %d bytes", MaxSubject)
	}
	if strings.TrimSpace(m.Text) == "" {
		return errors.New("mail: message has no plain-text body (Text)")
	}
	if len(m.Text) > MaxBody || len(m.HTML) > MaxBody {
		return fmt.Errorf("mail: body longer than %d bytes", MaxBody)
	}
	return nil
}

// CheckAddress reports whether a is one bare email address
// ("name@example.org", without a display name).
func CheckAddress(a string) error {
	if a == "" {
		return errors.New("empty address")
	}
	if len(a) > 254 || strings.ContainsAny(a, "\r\n<> ,;") {
		return fmt.Errorf("%q is not an email address", a)
	}
	p, err := mail.ParseAddress(a)
	if err != nil || p.Address != a || p.Name != "" || !strings.Contains(a, "@") {
		return fmt.Errorf("%q is not an email address", a)
	}
	return nil
}

// Permanent reports whether err, from Send, means that trying again will
// not help (the server refused the message or a recipient for good: an
// SMTP 5xx answer); the outbox then fails the message at once.
func Permanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}
