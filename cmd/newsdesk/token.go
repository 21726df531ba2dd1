package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const tokenUsage = `Usage:
  newsdesk token create --name NAME --scope SCOPE [--scope SCOPE...] [--expires 720h] --user EMAIL
  newsdesk token list
  newsdesk token revoke ID

API tokens let software use the write API and read drafts. A token acts for
the account --user names: it may do what its scopes allow and that
account's role allows, never more. The scopes are read:drafts,
write:articles, publish, upload:media and manage:site. The secret is printed
once, on standard output; only its hash is kept.
`

// scopeFlags collects repeated --scope flags (a comma also separates).
type scopeFlags []news.Scope

func (s *scopeFlags) String() string { return fmt.Sprint(*s) }

func (s *scopeFlags) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		sc, err := news.ParseScope(p)
		if err != nil {
			return fmt.Errorf("%s", news.ErrorMessage(err))
		}
		*s = append(*s, sc)
	}
	return nil
}

// runToken manages API tokens from the command line: the way to give a
// deploy script its token without a browser.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, tokenUsage)
		return usageError{"token: give a subcommand (create, list, revoke)"}
	}
	sub := args[0]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c       commonFlags
		name    string
		scopes  scopeFlags
		expires time.Duration
		email   string
	)
	c.register(fs)
	switch sub {
	case "create":
		fs.StringVar(&name, "name", "", "what the token is for (the audit log names it)")
		fs.Var(&scopes, "scope", "a `scope` the token has; repeat for more")
		fs.DurationVar(&expires, "expires", 0, "how long the token lasts (720h); 0 for no expiry")
		fs.StringVar(&email, "user", "", "the e-mail `address` of the account the token acts for")
	case "list", "revoke":
	default:
		fmt.Fprint(stderr, tokenUsage)
		return usageError{fmt.Sprintf("token: unknown subcommand %q", sub)}
	}
	if err := parseFlags(fs, args[1:], getenv); err != nil {
		return err
	}
	var id int64
	switch {
	case sub == "revoke" && fs.NArg() != 1:
		return usageError{"token revoke: give the token's ID (newsdesk token list shows it)"}
	case sub == "revoke":
		n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil || n < 1 {
			return usageError{fmt.Sprintf("token revoke: %q is not a token ID", fs.Arg(0))}
		}
		id = n
	case fs.NArg() > 0:
		return usageError{fmt.Sprintf("token %s: unexpected argument %q", sub, fs.Arg(0))}
	case sub == "create" && (name == "" || email == "" || len(scopes) == 0):
		return usageError{"token create: give --name, at least one --scope, and --user"}
	case expires < 0:
		return usageError{"token create: --expires is negative"}
	}
	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	now := time.Now().UTC()
	switch sub {
	case "create":
		u, err := st.UserByEmail(ctx, email)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return fmt.Errorf("token create: there is no account %s", email)
		} else if err != nil {
			return err
		}
		t := &news.APIToken{Name: name, Scopes: scopes, CreatedBy: u.ID, CreatedAt: now}
		if expires > 0 {
			t.ExpiresAt = now.Add(expires)
		}
		secret, hash := auth.NewAPIToken()
		err = st.InTx(ctx, func(tx *store.Store) error {
			if err := tx.CreateAPIToken(ctx, hash, t); err != nil {
				return err
			}
			return tx.Audit(ctx, &news.AuditEntry{UserName: "command line", Action: "token.create",
				Target: "token " + strconv.FormatInt(t.ID, 10), Detail: t.Name + " for " + u.Email + ": " + scopeList(t.Scopes)})
		})
		if err != nil {
			if code := news.ErrorCode(err); code == news.EINVALID || code == news.ECONFLICT {
				return fmt.Errorf("token create: %s", news.ErrorMessage(err))
			}
			return err
		}
		fmt.Fprintf(stderr, "created token %d %q for %s (%s), scopes %s; the secret is shown this once:\n", t.ID, t.Name, u.Email, u.Role, scopeList(t.Scopes))
		fmt.Fprintln(stdout, secret)
		return nil
	case "list":
		list, err := st.APITokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tACTS FOR\tSCOPES\tSTATE\tEXPIRES\tLAST USED")
		for _, t := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatorName, scopeList(t.Scopes), t.State(now), when(t.ExpiresAt, "never"), when(t.LastUsedAt, "never"))
		}
		return tw.Flush()
	default:
		err := st.InTx(ctx, func(tx *store.Store) error {
			if err := tx.RevokeAPIToken(ctx, id, 0, now); err != nil {
				return err
			}
			return tx.Audit(ctx, &news.AuditEntry{UserName: "command line", Action: "token.revoke", Target: "token " + strconv.FormatInt(id, 10)})
		})
		if news.ErrorCode(err) == news.ENOTFOUND {
			return fmt.Errorf("token revoke: %s", news.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked token %d\n", id)
		return nil
	}
}

func scopeList(ss []news.Scope) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

func when(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.Format("2006-01-02 15:04 MST")
}
