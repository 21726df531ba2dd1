package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/mail"
	"github.com/newsdesk/newsdesk/internal/news"
)

// The states of a message in the outbox.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// EnqueueMail writes m to the outbox, to be sent by the outbox worker as
// soon as one is free. Called on a transaction (inside InTx), the message
// is committed with the change that causes it, or not at all. A message
// that mail.Message.Check refuses is an EINVALID error and writes nothing.
func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	if err := m.Check(); err != nil {
		return news.Invalid("mail", "%v", err)
	}
	now := toDB(time.Now())
	_, err := s.q.ExecContext(ctx, `INSERT INTO mail_outbox (recipients, subject, text_body, html_body, status, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`,
		strings.Join(m.To, "\n"), m.Subject, m.Text, m.HTML, MailPending, now)
	return err
}

// OutboxMail is one message of the outbox as the newsroom lists it:
// without its body.
type OutboxMail struct {
	ID            int64
	To            []string
	Subject       string
	Status        string
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	LastAttemptAt time.Time
	SentAt        time.Time
	CreatedAt     time.Time
}

const outboxColumns = `id, recipients, subject, status, attempts, last_error, next_attempt_at, last_attempt_at, sent_at, created_at`

func scanOutbox(row interface{ Scan(...any) error }) (*OutboxMail, error) {
	var (
		m                         OutboxMail
		to                        string
		next, last, sent, created int64
	)
	if err := row.Scan(&m.ID, &to, &m.Subject, &m.Status, &m.Attempts, &m.LastError, &next, &last, &sent, &created); err != nil {
		return nil, err
	}
	m.To = strings.Split(to, "\n")
	m.NextAttemptAt, m.LastAttemptAt, m.SentAt, m.CreatedAt = fromDB(next), fromDB(last), fromDB(sent), fromDB(created)
	return &m, nil
}

// MailOutbox lists the outbox's messages in status (all for ""), newest
// first, at most limit.
func (s *Store) MailOutbox(ctx context.Context, status string, limit int) ([]*OutboxMail, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	where, args := "", []any{limit}
	if status != "" {
		where, args = "WHERE status = $2", append(args, status)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+outboxColumns+` FROM mail_outbox `+where+` ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OutboxMail
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailCounts returns how many messages the outbox holds in each status.
func (s *Store) MailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// PruneMail deletes the messages done with (sent or failed) and queued
// before before, and returns how many.
func (s *Store) PruneMail(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM mail_outbox WHERE status IN ($1, $2) AND created_at < $3`,
		MailSent, MailFailed, toDB(before))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MailClaim is a message an instance holds to send: no other instance
// claims it until Until.
type MailClaim struct {
	ID       int64
	Message  mail.Message
	Attempts int // counting this one
	Until    time.Time
	token    string
}

// ClaimMail takes the pending message due longest and holds it until
// now+hold; nil when none is due. Of several instances asking at once,
// each message goes to one: on PostgreSQL the row is locked FOR UPDATE
// SKIP LOCKED, so a second asker takes the next instead of waiting; SQLite
// runs one writer at a time. A claim whose instance died lapses at Until
// and the message is taken again (so a message may, rarely, go twice: when
// an instance dies between the server's answer and FinishMail).
func (s *Store) ClaimMail(ctx context.Context, now time.Time, hold time.Duration) (*MailClaim, error) {
	const due = `status = 'pending' AND next_attempt_at <= $1 AND claimed_until <= $1`
	lock := ""
	if s.dialect.name == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	c := &MailClaim{Until: now.Add(hold), token: rand.Text()}
	for try := 0; ; try++ {
		// Most polls find nothing: a read, which takes no write lock.
		var one int
		err := s.q.QueryRowContext(ctx, `SELECT 1 FROM mail_outbox WHERE `+due+` LIMIT 1`, toDB(now)).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		var to string
		err = s.q.QueryRowContext(ctx, `UPDATE mail_outbox SET claimed_until = $2, claim = $3, attempts = attempts + 1
			WHERE id = (SELECT id FROM mail_outbox WHERE `+due+` ORDER BY next_attempt_at, id LIMIT 1`+lock+`)
			AND `+due+`
			RETURNING id, recipients, subject, text_body, html_body, attempts`, toDB(now), toDB(c.Until), c.token).
			Scan(&c.ID, &to, &c.Message.Subject, &c.Message.Text, &c.Message.HTML, &c.Attempts)
		if errors.Is(err, sql.ErrNoRows) && try < 3 {
			continue // another instance took it
		}
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		c.Message.To = strings.Split(to, "\n")
		return c, nil
	}
}

// MailAttempt is what came of sending a claimed message.
type MailAttempt struct {
	At    time.Time
	Error string // empty when the server took the message
	// RetryAt is when to try again after an error; zero fails the
	// message for good.
	RetryAt time.Time
}

// FinishMail records an attempt on a claimed message and lets it go. A
// message sent or failed loses its body. It reports false, and changes
// nothing, when the claim had lapsed and another instance had taken the
// message meanwhile.
func (s *Store) FinishMail(ctx context.Context, c *MailClaim, a MailAttempt) (bool, error) {
	var res sql.Result
	var err error
	errText := a.Error
	if len(errText) > answerMax {
		errText = strings.ToValidUTF8(errText[:answerMax], "")
	}
	switch {
	case a.Error == "":
		res, err = s.q.ExecContext(ctx, `UPDATE mail_outbox SET status = $1, sent_at = $2, last_attempt_at = $2, last_error = '',
			text_body = '', html_body = '', claimed_until = 0, claim = '' WHERE id = $3 AND claim = $4`,
			MailSent, toDB(a.At), c.ID, c.token)
	case a.RetryAt.IsZero():
		res, err = s.q.ExecContext(ctx, `UPDATE mail_outbox SET status = $1, last_attempt_at = $2, last_error = $3,
			text_body = '', html_body = '', claimed_until = 0, claim = '' WHERE id = $4 AND claim = $5`,
			MailFailed, toDB(a.At), errText, c.ID, c.token)
	default:
		res, err = s.q.ExecContext(ctx, `UPDATE mail_outbox SET next_attempt_at = $1, last_attempt_at = $2, last_error = $3,
			claimed_until = 0, claim = '' WHERE id = $4 AND claim = $5`,
			toDB(a.RetryAt), toDB(a.At), errText, c.ID, c.token)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
