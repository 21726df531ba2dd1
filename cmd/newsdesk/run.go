package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/store"
)

// errSilent ends the program with a non-zero status after the command has
// already said what went wrong.
var errSilent = errors.New("failed")

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// exitCode is the process's exit status for run's error: 0 for none, 2 for
// a usage mistake, 1 for anything else.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

const usage = `Usage: newsdesk <command> [flags]

Commands:
  serve     run the public site, the newsroom and the APIs
  import    load Markdown files with YAML front matter (files or folders)
  migrate-db  move a site from its SQLite file to an empty PostgreSQL database
  generate  fill an empty database with a synthetic archive, for benchmarks
  export    write a static copy of the public site: export DIR [--sign KEY] [--watch]
  keygen    write an Ed25519 key pair for signing copies: keygen --out NAME
  verify    check a signed static copy: verify DIR --key NAME.pub
  media     move the photos to another store: media move --to s3://BUCKET/PREFIX|FOLDER
  backup    copy the running site into a folder: backup DEST
  restore   restore a backup into an empty data folder: restore SRC --data DIR
  user      manage newsroom accounts: user add --email E --name N --role R --password-stdin
  token     API tokens for software: token create --name N --scope S... --user EMAIL, token list, token revoke ID
  version   print the version

Every flag can also be set by an environment variable NEWSDESK_<FLAG>,
e.g. --base-url by NEWSDESK_BASE_URL. Run "newsdesk <command> -h" for its flags.
`

// run is the whole program: main only supplies the outside world, so tests
// run exactly what users run.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "media":
		return runMedia(ctx, rest, getenv, stdout, stderr)
	case "migrate-db":
		return runMigrateDB(ctx, rest, getenv, stdout, stderr)
	case "generate":
		return runGenerate(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "token":
		return runToken(ctx, rest, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, rest, getenv, stdout, stderr)
	case "keygen":
		return runKeygen(ctx, rest, getenv, stdout, stderr)
	case "verify":
		return runVerify(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, getenv, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "newsdesk", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// version is the module version, or the VCS revision of a source build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v
}

// commonFlags are the flags every command takes.
type commonFlags struct {
	data     string
	db       string
	maxConns int
	// mmapBytes is set by commands that read the whole archive once (see
	// store.Options.MmapBytes); it is no flag.
	mmapBytes int64
	// log receives open's warnings about the data folder; nil: text lines
	// on the command's stderr, the flag set's output.
	log   *slog.Logger
	flags *flag.FlagSet
	// media is where the photos are (--media and its flags), for the
	// commands that read or write them; nil: the media folder in --data.
	media  *mediaFlags
	getenv func(string) string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	c.flags = fs
	fs.StringVar(&c.data, "data", "./data", "data `folder`: the SQLite file and the media")
	fs.StringVar(&c.db, "db", "", "PostgreSQL `URL` (postgres://...); empty: the SQLite file in --data")
	fs.IntVar(&c.maxConns, "db-max-conns", 0, "most database connections this process opens (`n`); 0: 8 for SQLite, 16 for PostgreSQL")
}

// registerMedia adds the --media flags (see mediaFlags): the command reads
// or writes photos, and open opens the store they name. getenv gives the
// object store's credentials.
func (c *commonFlags) registerMedia(fs *flag.FlagSet, getenv func(string) string) {
	c.media, c.getenv = &mediaFlags{}, getenv
	c.media.register(fs)
}

// dsn is the database to open.
func (c *commonFlags) dsn() string {
	if c.db != "" {
		return c.db
	}
	return filepath.Join(c.data, "newsdesk.db")
}

// open opens the database and the media store. The data folder is made
// 0700 when new; an existing one open to other users is left as it is
// (the operator may have reasons) but warned about, and what the stores
// repaired on disk is logged.
func (c *commonFlags) open(ctx context.Context) (*store.Store, *media.Store, error) {
	if c.media != nil {
		if err := c.media.check(); err != nil {
			return nil, nil, err
		}
	}
	log := c.log
	if log == nil {
		out := io.Writer(os.Stderr)
		if c.flags != nil {
			out = c.flags.Output()
		}
		log = slog.New(slog.NewTextHandler(out, nil))
	}
	// A bucket is asked first: a command it stops (one that cannot be
	// reached, refused credentials) leaves no data folder or database
	// made for nothing. A folder is opened after the data folder it may
	// be in is made.
	var ms *media.Store
	if c.media != nil && c.media.s3() {
		var err error
		if ms, err = c.media.openStore(ctx, c.data, c.getenv, log); err != nil {
			return nil, nil, err
		}
	}
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		if ms != nil {
			ms.Close()
		}
		return nil, nil, err
	}
	if st, err := os.Stat(c.data); err == nil && st.Mode().Perm()&0o077 != 0 {
		log.Warn("the data folder is open to other users: the database and the photo originals in it are not, but a backup or copy made there may be; chmod 700 it",
			"folder", c.data, "mode", fmt.Sprintf("%04o", st.Mode().Perm()))
	}
	st, err := store.OpenWith(ctx, c.dsn(), store.Options{MaxConns: c.maxConns, MmapBytes: c.mmapBytes})
	if err != nil {
		if ms != nil {
			ms.Close()
		}
		return nil, nil, err
	}
	switch {
	case ms != nil:
	case c.media != nil:
		ms, err = c.media.openStore(ctx, c.data, c.getenv, log)
	default:
		ms, err = media.OpenStore(filepath.Join(c.data, "media"))
	}
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	for _, r := range append(st.Repairs(), ms.Repairs()...) {
		log.Warn("made private: " + r)
	}
	return st, ms, nil
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// parseFlags parses args, then fills every flag not given on the command
// line from its environment variable NEWSDESK_<NAME> (upper case, hyphens as
// underscores). A repeatable flag's variable holds a comma-separated list.
func parseFlags(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		env := "NEWSDESK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := getenv(env)
		if v == "" {
			return
		}
		vals := []string{v}
		if _, repeatable := f.Value.(*stringList); repeatable {
			vals = strings.Split(v, ",")
		}
		for _, one := range vals {
			if serr := f.Value.Set(strings.TrimSpace(one)); serr != nil {
				err = usageError{fmt.Sprintf("%s: %v", env, serr)}
				return
			}
		}
	})
	return err
}
