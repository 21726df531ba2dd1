package store

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"
)

// ReserveLogin writes one login attempt made at "at" under each key of
// since (auth.FailureLog), then counts, per key, the other attempts made
// after since[key] and the time of the latest. The rows are written and
// committed before the count, so of two attempts raced on two instances
// the later writer counts the earlier: the limits hold across instances.
// Outside a transaction only.
func (s *Store) ReserveLogin(ctx context.Context, at time.Time, since map[string]time.Time) (ids []int64, others map[string]int, latest map[string]time.Time, err error) {
	if s.inTx {
		return nil, nil, nil, errors.New("store: ReserveLogin inside a transaction: the others would not see its rows until it commits")
	}
	others, latest = map[string]int{}, map[string]time.Time{}
	if len(since) == 0 {
		return nil, others, latest, nil
	}
	keys := make([]string, 0, len(since))
	for k := range since {
		keys = append(keys, k)
	}
	sort.Strings(keys) // one statement text per number of keys
	var ins strings.Builder
	args := []any{toDB(at)}
	for i, k := range keys {
		if i > 0 {
			ins.WriteString(", ")
		}
		ins.WriteString("($" + itoa(i+2) + ", $1)")
		args = append(args, k)
	}
	rows, err := s.q.QueryContext(ctx, `INSERT INTO login_failures (key, at) VALUES `+ins.String()+` RETURNING id`, args...)
	if err != nil {
		return nil, nil, nil, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, nil, nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	// Whatever fails from here, the rows just written must not stay
	// behind as failures nobody made.
	fail := func(err error) ([]int64, map[string]int, map[string]time.Time, error) {
		s.ReleaseLogin(context.WithoutCancel(ctx), ids, nil)
		return nil, nil, nil, err
	}
	var where strings.Builder
	args = args[:0]
	for i, k := range keys {
		if i > 0 {
			where.WriteString(" OR ")
		}
		where.WriteString("(key = $" + itoa(2*i+1) + " AND at > $" + itoa(2*i+2) + ")")
		args = append(args, k, toDB(since[k]))
	}
	mine, idArgs := inList(len(args)+1, ids)
	args = append(args, idArgs...)
	rows, err = s.q.QueryContext(ctx, `SELECT key, COUNT(*), MAX(at) FROM login_failures
		WHERE (`+where.String()+`) AND id NOT IN (`+mine+`) GROUP BY key`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		var last int64
		if err := rows.Scan(&k, &n, &last); err != nil {
			return fail(err)
		}
		others[k], latest[k] = n, fromDB(last)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return ids, others, latest, nil
}

// ReleaseLogin deletes the attempts ids (they were not failures) and
// every attempt under the keys in clear.
func (s *Store) ReleaseLogin(ctx context.Context, ids []int64, clear []string) error {
	if len(ids) > 0 {
		in, args := inList(1, ids)
		if _, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE id IN (`+in+`)`, args...); err != nil {
			return err
		}
	}
	if len(clear) > 0 {
		in, args := inList(1, clear)
		if _, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE key IN (`+in+`)`, args...); err != nil {
			return err
		}
	}
	return nil
}

// PruneLogins deletes the keys' attempts made before a time, so the table
// keeps only what some limit still counts.
func (s *Store) PruneLogins(ctx context.Context, keys []string, before time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	in, args := inList(2, keys)
	_, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1 AND key IN (`+in+`)`, append([]any{toDB(before)}, args...)...)
	return err
}

// SweepLogins deletes, for each key prefix of before, the attempts under
// keys with that prefix made before its time (auth.FailureLog): what no
// limit counts any more, including the rows of keys never tried again,
// which PruneLogins does not reach. One statement, run now and then, not
// per login.
func (s *Store) SweepLogins(ctx context.Context, before map[string]time.Time) error {
	if len(before) == 0 {
		return nil
	}
	prefixes := make([]string, 0, len(before))
	for p := range before {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	var where strings.Builder
	var args []any
	for i, p := range prefixes {
		if i > 0 {
			where.WriteString(" OR ")
		}
		// substr, not LIKE: a prefix is matched byte for byte, whatever
		// it holds, on both engines.
		where.WriteString("(substr(key, 1, " + itoa(len(p)) + ") = $" + itoa(2*i+1) + " AND at < $" + itoa(2*i+2) + ")")
		args = append(args, p, toDB(before[p]))
	}
	_, err := s.q.ExecContext(ctx, `DELETE FROM login_failures WHERE `+where.String(), args...)
	return err
}

// ForgetLogins forgets the places (browsers and addresses) an account has
// logged in from, but for keep: after its password changes or it is
// disabled, a browser or an address that knew the old password (a
// thief's) is a stranger again, and the delays that failures put on the
// account apply to it.
func (s *Store) ForgetLogins(ctx context.Context, userID int64, keep []string) error {
	if len(keep) == 0 {
		_, err := s.q.ExecContext(ctx, `DELETE FROM known_logins WHERE user_id = $1`, userID)
		return err
	}
	in, args := inList(2, keep)
	_, err := s.q.ExecContext(ctx, `DELETE FROM known_logins WHERE user_id = $1 AND key NOT IN (`+in+`)`, append([]any{userID}, args...)...)
	return err
}

// MaxKnownLogins is how many places (browsers and addresses) are
// remembered per account: the most recently used.
const MaxKnownLogins = 20

// RememberLogin records that an account logged in at "at" from each of
// keys (a device, an address), keeping the account's MaxKnownLogins most
// recent places.
func (s *Store) RememberLogin(ctx context.Context, userID int64, keys []string, at time.Time) error {
	return s.InTx(ctx, func(tx *Store) error {
		for _, k := range keys {
			if _, err := tx.q.ExecContext(ctx, `INSERT INTO known_logins (user_id, key, seen_at) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, key) DO UPDATE SET seen_at = excluded.seen_at`, userID, k, toDB(at)); err != nil {
				return err
			}
		}
		_, err := tx.q.ExecContext(ctx, `DELETE FROM known_logins WHERE user_id = $1 AND key NOT IN
			(SELECT key FROM known_logins WHERE user_id = $1 ORDER BY seen_at DESC, key LIMIT `+itoa(MaxKnownLogins)+`)`, userID)
		return err
	})
}

// KnownLogins returns which of keys the account has logged in from since
// a time. It costs the same query whether or not the account exists
// (userID 0 is none), so its time does not tell.
func (s *Store) KnownLogins(ctx context.Context, userID int64, keys []string, since time.Time) (map[string]bool, error) {
	out := map[string]bool{}
	if len(keys) == 0 {
		return out, nil
	}
	in, args := inList(3, keys)
	rows, err := s.q.QueryContext(ctx, `SELECT key FROM known_logins WHERE user_id = $1 AND seen_at > $2 AND key IN (`+in+`)`,
		append([]any{userID, toDB(since)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out[k] = true
	}
	return out, rows.Err()
}
