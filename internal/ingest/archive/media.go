package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsdesk/newsdesk/internal/netx"
)

// MediaSource is where an import finds the files an export refers to by
// address: a copy of the old site's upload folder (--uploads), and, when
// allowed (--fetch-media), the old site itself.
type MediaSource struct {
	// Dir is a copy of wp-content/uploads or Ghost's content/images; ""
	// when there is none.
	Dir string
	// Fetch allows downloading what Dir does not hold.
	Fetch bool
	// Client downloads; nil, a netx.OutboundClient, which refuses
	// loopback, private and link-local addresses.
	Client *http.Client
	// MaxBytes is the largest file taken; 0 means DefaultMaxMediaBytes.
	MaxBytes int64

	once   sync.Once
	client *http.Client
}

// DefaultMaxMediaBytes is the largest file a MediaSource takes when
// MaxBytes is not set: more than any photo a newsroom publishes.
const DefaultMaxMediaBytes = 32 << 20

// Get returns the file at rawURL (an address as the export has it, or a
// site path) and its file name. It looks first in Dir, by the part of the
// address after "/wp-content/uploads/" or "/content/images/" (without
// Ghost's "size/w600/" and "format/webp/"), or else the whole path; for
// WordPress's resized copies ("photo-300x200.jpg") it takes the original
// ("photo.jpg") when the copy is missing. Files are read through os.Root,
// so nothing outside Dir is read, whatever the address says (".." or a
// symbolic link out), and only regular files. What Dir does not hold is
// downloaded when Fetch is set, else the error says where it looked.
func (m *MediaSource) Get(ctx context.Context, rawURL string) (data []byte, name string, err error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, "", fmt.Errorf("media %q: not an address: %w", rawURL, err)
	}
	rel := relativeMediaPath(u.Path)
	name = path.Base(rel)
	if rel == "" || name == "." || name == "/" {
		return nil, "", fmt.Errorf("media %s: the address names no file", rawURL)
	}
	var looked []string
	if m.Dir != "" {
		for _, cand := range mediaCandidates(rel) {
			data, err := m.readDir(cand)
			if err == nil {
				return data, path.Base(cand), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, "", fmt.Errorf("media %s: %w", rawURL, err)
			}
			looked = append(looked, filepath.Join(m.Dir, filepath.FromSlash(cand)))
		}
	}
	switch {
	case m.Fetch:
		data, err := m.fetch(ctx, u)
		if err != nil {
			return nil, "", fmt.Errorf("media %s: %w", rawURL, err)
		}
		return data, name, nil
	case m.Dir == "":
		return nil, "", fmt.Errorf("media %s: no --uploads folder given; give one, or use --fetch-media to download it", rawURL)
	default:
		return nil, "", fmt.Errorf("media %s: not in --uploads (looked for %s); use --fetch-media to download it", rawURL, strings.Join(looked, " and "))
	}
}

func (m *MediaSource) maxBytes() int64 {
	if m.MaxBytes > 0 {
		return m.MaxBytes
	}
	return DefaultMaxMediaBytes
}

var ghostSize = regexp.MustCompile(`^(?:size/w[0-9]+(?:h[0-9]+)?/)?(?:format/[a-z0-9]+/)?`)

// relativeMediaPath is the part of an address's path that names the file
// inside the upload folder.
func relativeMediaPath(p string) string {
	if i := strings.Index(p, "/wp-content/uploads/"); i >= 0 {
		return p[i+len("/wp-content/uploads/"):]
	}
	if i := strings.Index(p, "/content/images/"); i >= 0 {
		return ghostSize.ReplaceAllString(p[i+len("/content/images/"):], "")
	}
	return strings.TrimLeft(p, "/")
}

var resized = regexp.MustCompile(`-[0-9]{1,5}x[0-9]{1,5}(\.[A-Za-z0-9]+)$`)

// mediaCandidates are the files that may hold rel: itself, then the
// original WordPress resized it from.
func mediaCandidates(rel string) []string {
	out := []string{rel}
	if orig := resized.ReplaceAllString(rel, "$1"); orig != rel {
		out = append(out, orig)
	}
	return out
}

// readDir reads rel from Dir, through os.Root.
func (m *MediaSource) readDir(rel string) ([]byte, error) {
	root, err := os.OpenRoot(m.Dir)
	if err != nil {
		return nil, fmt.Errorf("--uploads: %w", err)
	}
	defer root.Close()
	name := filepath.FromSlash(rel)
	// The folder is a copy of a stranger's uploads: a named pipe there
	// would keep a blocking open waiting for a writer for good. Its type
	// is checked before opening, the open does not block, and the handle
	// is checked again (the file may have been swapped in between).
	info, err := root.Stat(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("reading %s in --uploads: %w", rel, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in --uploads is not a regular file", rel)
	}
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("reading %s in --uploads: %w", rel, err)
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in --uploads is not a regular file", rel)
	}
	if info.Size() > m.maxBytes() {
		return nil, fmt.Errorf("%s in --uploads is %d bytes, more than the %d a file may be", rel, info.Size(), m.maxBytes())
	}
	return readLimited(f, m.maxBytes())
}

// readLimited reads at most max bytes, and refuses more.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("the file is more than the %d bytes a file may be", max)
	}
	return data, nil
}

// fetch downloads an image.
func (m *MediaSource) fetch(ctx context.Context, u *url.URL) ([]byte, error) {
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("cannot download it: only absolute http and https addresses are downloaded")
	}
	m.once.Do(func() {
		m.client = m.Client
		if m.client == nil {
			m.client = netx.OutboundClient(netx.OutboundOptions{Timeout: 30 * time.Second, MaxRedirects: 5})
		}
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "image/*")
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading: the server answered %s", resp.Status)
	}
	ct, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(ct, "image/") {
		return nil, fmt.Errorf("downloading: the server sent %q, not an image", resp.Header.Get("Content-Type"))
	}
	if resp.ContentLength > m.maxBytes() {
		return nil, fmt.Errorf("downloading: the file is %d bytes, more than the %d a file may be", resp.ContentLength, m.maxBytes())
	}
	data, err := readLimited(resp.Body, m.maxBytes())
	if err != nil {
		return nil, fmt.Errorf("downloading: %w", err)
	}
	return data, nil
}
