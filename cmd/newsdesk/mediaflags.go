package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/newsdesk/newsdesk/internal/media"
)

// mediaFlags say where the photos live: the media folder in --data (the
// default), another folder, or a bucket of an S3-compatible object store.
type mediaFlags struct {
	where     string // --media: a folder, or s3://BUCKET/PREFIX; empty: DATA/media
	endpoint  string
	region    string
	pathStyle optionalBool
	publicURL string
	// startAnyway: a bucket that cannot be reached when the command
	// starts is only warned about (serve: pages come from the cache
	// meanwhile, and the store is used when it comes back). For the
	// other commands it is an error at once, before anything is done.
	startAnyway bool
}

// optionalBool is a boolean flag that knows whether it was given.
type optionalBool struct{ set, v bool }

func (b *optionalBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.v)
}

func (b *optionalBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("give true or false")
	}
	b.set, b.v = true, v
	return nil
}

func (b *optionalBool) IsBoolFlag() bool { return true }

func (f *mediaFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.where, "media", "", "where photos are kept: a `folder`, or s3://BUCKET/PREFIX on an S3-compatible object store (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ~/.aws); default: media in --data")
	fs.StringVar(&f.endpoint, "media-endpoint", "", "the object store's `URL` (https://s3.example.net); default: AWS S3 itself")
	fs.StringVar(&f.region, "media-region", "", "the bucket's `region`; default: AWS_REGION, else us-east-1")
	fs.Var(&f.pathStyle, "media-path-style", "name the bucket in the path (https://ENDPOINT/BUCKET/KEY), as most stores other than AWS need; default: true with --media-endpoint, false without")
	fs.StringVar(&f.publicURL, "media-url", "", "the https `URL` under which a public bucket or a CDN serves the objects of PREFIX/public/ by their keys: /media/ addresses are redirected there; default: Newsdesk serves the photos itself")
}

// s3 reports whether the photos are in an object store.
func (f *mediaFlags) s3() bool { return strings.HasPrefix(f.where, "s3://") }

// check finds mistakes in the flags before anything starts.
func (f *mediaFlags) check() error {
	if f.s3() {
		if _, _, err := media.ParseS3URL(f.where); err != nil {
			return usageError{"--media: " + err.Error()}
		}
		if f.endpoint != "" {
			u, err := url.Parse(f.endpoint)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
				return usageError{fmt.Sprintf("--media-endpoint %q: give the store's address, http(s)://HOST[:PORT]", f.endpoint)}
			}
		}
	} else if f.endpoint != "" || f.region != "" || f.pathStyle.set || f.publicURL != "" {
		return usageError{"--media-endpoint, --media-region, --media-path-style and --media-url are for --media s3://BUCKET/PREFIX"}
	}
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return usageError{fmt.Sprintf("--media-url %q: give the absolute https:// address the variants are served under", f.publicURL)}
		}
	}
	return nil
}

// open opens the photos' Blobs: the folder (data's media folder by
// default), or the bucket. A bucket is checked: a missing one or refused
// credentials are an error; one that cannot be reached just now is an
// error too, unless startAnyway, when it is logged and the server starts
// (the store recovers when it comes back, and pages are served from the
// cache meanwhile).
func (f *mediaFlags) open(ctx context.Context, data string, getenv func(string) string, log *slog.Logger) (media.Blobs, error) {
	if !f.s3() {
		dir := f.where
		if dir == "" {
			dir = filepath.Join(data, "media")
		}
		return media.OpenFolder(dir)
	}
	bucket, prefix, err := media.ParseS3URL(f.where)
	if err != nil {
		return nil, usageError{"--media: " + err.Error()}
	}
	cfg := media.S3Config{Bucket: bucket, Prefix: prefix, Endpoint: f.endpoint, Region: f.region,
		PathStyle: f.endpoint != "", AccessKeyID: getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: getenv("AWS_SESSION_TOKEN")}
	if f.pathStyle.set {
		cfg.PathStyle = f.pathStyle.v
	}
	if cfg.Region == "" {
		cfg.Region = getenv("AWS_REGION")
	}
	b, err := media.OpenS3(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := b.Check(ctx); errors.Is(err, media.ErrUnavailable) && f.startAnyway {
		log.Warn("the photo store cannot be reached now: photos are not stored or served until it can", "media", b.String(), "err", err)
	} else if err != nil {
		return nil, fmt.Errorf("--media %s: %w", f.where, err)
	}
	return b, nil
}

// openStore opens the photos' store, with --media-url.
func (f *mediaFlags) openStore(ctx context.Context, data string, getenv func(string) string, log *slog.Logger) (*media.Store, error) {
	b, err := f.open(ctx, data, getenv, log)
	if err != nil {
		return nil, err
	}
	return media.NewStore(b, media.StoreOptions{PublicURL: f.publicURL}), nil
}
