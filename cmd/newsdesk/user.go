package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
)

const userUsage = `Usage: newsdesk user add --email E --name N --role R --password-stdin

Creates a newsroom account. The role is contributor, editor or admin. The
password is read from the first line of standard input, so it stays out of
the shell's history and the process list:

  echo "$PASSWORD" | newsdesk user add --email ana@example.org --name "Ana Ruiz" --role editor --password-stdin
`

// runUser manages accounts from the command line: the way in when nobody
// can log in yet, or when the last admin has lost their password.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return usageError{"user: give a subcommand (add)"}
		}
		return usageError{fmt.Sprintf("user: unknown subcommand %q", args[0])}
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		c             commonFlags
		email, name   string
		role          string
		passwordStdin bool
	)
	c.register(fs)
	fs.StringVar(&email, "email", "", "the account's e-mail `address` (its login)")
	fs.StringVar(&name, "name", "", "the person's `name`")
	fs.StringVar(&role, "role", "", "contributor, editor or admin")
	fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	if err := parseFlags(fs, args[1:], getenv); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("user add: unexpected argument %q", fs.Arg(0))}
	}
	if !passwordStdin {
		return usageError{"user add: give --password-stdin and the password on standard input (never as an argument)"}
	}
	r, err := news.ParseRole(role)
	if err != nil {
		return usageError{"user add: --role: " + news.ErrorMessage(err)}
	}
	if stdin == nil {
		return usageError{"user add: no standard input to read the password from"}
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := news.CheckPassword(pw); err != nil {
		return fmt.Errorf("user add: %s", news.ErrorMessage(err))
	}
	u := &news.User{Email: email, Name: name, Role: r, PasswordHash: auth.HashPassword(pw)}

	st, ms, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ms.Close()
	err = st.InTx(ctx, func(tx *store.Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, &news.AuditEntry{UserName: "command line", Action: "user.create",
			Target: "user " + strconv.FormatInt(u.ID, 10), Detail: string(u.Role) + " " + u.Email})
	})
	if err != nil {
		if code := news.ErrorCode(err); code == news.EINVALID || code == news.ECONFLICT {
			return fmt.Errorf("user add: %s", news.ErrorMessage(err))
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}
