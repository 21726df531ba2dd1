package store

import (
	"context"
	"time"

	"github.com/newsdesk/newsdesk/internal/news"
)

// TwoFactor is an account's two-factor state.
type TwoFactor struct {
	// Secret is the TOTP secret: the one in use when On, the one being
	// enrolled when not ("" when none).
	Secret   string
	On       bool
	LastStep int64 // the time step of the last code accepted
	// RecoveryLeft is how many unused recovery codes it has.
	RecoveryLeft int
}

// TwoFactorOf returns an account's two-factor state.
func (s *Store) TwoFactorOf(ctx context.Context, userID int64) (*TwoFactor, error) {
	tf := &TwoFactor{}
	var on int
	err := s.q.QueryRowContext(ctx, `SELECT totp_secret, totp_on, totp_last_step,
		(SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at = 0) FROM users WHERE id = $1`, userID).
		Scan(&tf.Secret, &on, &tf.LastStep, &tf.RecoveryLeft)
	if err != nil {
		return nil, notFound(err, "no user with id %d", userID)
	}
	tf.On = on != 0
	return tf, nil
}

// TwoFactorOn reports whether an account has two-factor authentication on.
func (s *Store) TwoFactorOn(ctx context.Context, userID int64) (bool, error) {
	var on int
	err := s.q.QueryRowContext(ctx, `SELECT totp_on FROM users WHERE id = $1`, userID).Scan(&on)
	return on != 0, notFound(err, "no user with id %d", userID)
}

// StartTOTP keeps a new secret being enrolled; it is not asked for at
// login until ConfirmTOTP. It does nothing to an account whose two-factor
// authentication is on (ECONFLICT): that is turned off first.
func (s *Store) StartTOTP(ctx context.Context, userID int64, secret string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = 0 WHERE id = $2 AND totp_on = 0`, secret, userID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return news.Errorf(news.ECONFLICT, "two-factor authentication is on already")
	}
	return nil
}

// ConfirmTOTP turns two-factor authentication on with the secret being
// enrolled (which must still be secret: a second tab's newer secret wins
// over this one), records the step of the code that confirmed it, and
// replaces the recovery codes with hashes.
func (s *Store) ConfirmTOTP(ctx context.Context, userID int64, secret string, step int64, recoveryHashes []string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET totp_on = 1, totp_last_step = $1 WHERE id = $2 AND totp_on = 0 AND totp_secret = $3`,
		step, userID, secret)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return news.Errorf(news.ECONFLICT, "two-factor authentication was set up or started again elsewhere meanwhile: reload the page")
	}
	return s.ReplaceRecoveryCodes(ctx, userID, recoveryHashes)
}

// TurnOffTOTP forgets the secret and the recovery codes.
func (s *Store) TurnOffTOTP(ctx context.Context, userID int64) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE users SET totp_on = 0, totp_secret = '', totp_last_step = 0 WHERE id = $1`, userID); err != nil {
		return err
	}
	_, err := s.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID)
	return err
}

// UseTOTPStep records that the code of step was accepted, unless a code
// of that step or a later one was accepted before: false then. Two
// requests racing with one code cannot both pass.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_on = 1 AND totp_last_step < $1`, step, userID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReplaceRecoveryCodes replaces an account's recovery codes with new ones
// (their hashes).
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode spends the unused recovery code with hash, and reports
// false when the account has none such (wrong, or used before).
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash string, now time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1
		WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $2 AND code_hash = $3 AND used_at = 0 LIMIT 1) AND used_at = 0`,
		toDB(now), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
