package main

import (
	"flag"

	"github.com/newsdesk/newsdesk/internal/site"
)

// siteFlags say what the site is and where: serve and export take the same
// ones, so a static copy names the same addresses as the live site.
type siteFlags struct {
	baseURL, siteName, onion string
	mirrors                  stringList
}

// register adds the flags; baseHelp says what --base-url defaults to.
func (f *siteFlags) register(fs *flag.FlagSet, baseHelp string) {
	fs.StringVar(&f.baseURL, "base-url", "", "the primary public `URL` (canonical links name it)"+baseHelp)
	fs.Var(&f.mirrors, "mirror", "an alternate `URL` where the site can also be read (repeatable)")
	fs.StringVar(&f.onion, "onion", "", "the site's onion service `URL` (http://NAME.onion), sent as Onion-Location on HTTPS answers")
	fs.StringVar(&f.siteName, "site-name", "Newsdesk", "the publication's `name`")
}

// config checks the flags and returns the site's configuration; base is
// the primary address when --base-url was not given. Mistakes are usage
// errors.
func (f *siteFlags) config(base string) (site.Config, error) {
	if f.baseURL != "" {
		base = f.baseURL
	}
	cfg, err := site.NewConfig(base, f.mirrors, f.siteName)
	if err != nil {
		return site.Config{}, usageError{err.Error()}
	}
	if cfg.Onion, err = site.ParseOnion(f.onion); err != nil {
		return site.Config{}, usageError{err.Error()}
	}
	return cfg, nil
}
