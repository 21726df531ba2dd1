package export

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Keys and signatures are one line of text each, a label and base64, so
// they can be pasted into a page, a mirrors list or a message without
// damage:
//
//	newsdesk-ed25519 <public key>
//	newsdesk-ed25519-private <private key seed>
//	newsdesk-ed25519-signature <signature of manifest.json's exact bytes>
const (
	publicLabel    = "newsdesk-ed25519"
	privateLabel   = "newsdesk-ed25519-private"
	signatureLabel = "newsdesk-ed25519-signature"
)

// GenerateKey writes a new Ed25519 key pair: the private key to name (mode
// 0600) and the public key to name + ".pub". It refuses to overwrite
// either file: losing a signing key that mirrors trust is not undone.
func GenerateKey(name string, random io.Reader) (ed25519.PublicKey, error) {
	if random == nil {
		random = rand.Reader
	}
	for _, p := range []string{name, name + ".pub"} {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%s exists already: choose another name, or remove it first", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	pub, priv, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	_, err = fmt.Fprintf(f, "%s %s\n", privateLabel, base64.StdEncoding.EncodeToString(priv.Seed()))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = writeExclusive(name+".pub", []byte(FormatPublicKey(pub)+"\n"), 0o644)
	}
	if err != nil {
		os.Remove(name)
		return nil, err
	}
	return pub, nil
}

func writeExclusive(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// FormatPublicKey is the one-line text form of a public key, as the .pub
// file holds it and as it can be published.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return publicLabel + " " + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads a public key in its text form.
func ParsePublicKey(text string) (ed25519.PublicKey, error) {
	b, err := parseLine(text, publicLabel, ed25519.PublicKeySize)
	if err != nil {
		return nil, fmt.Errorf("not a newsdesk public key: %w", err)
	}
	return ed25519.PublicKey(b), nil
}

// ReadPublicKey reads a .pub file.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ReadPrivateKey reads a private key file written by GenerateKey.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seed, err := parseLine(string(data), privateLabel, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("%s: not a newsdesk private key: %w", path, err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// parseLine reads "label base64" and checks the decoded length.
func parseLine(text, label string, size int) ([]byte, error) {
	fields := strings.Fields(text)
	if len(fields) != 2 || fields[0] != label {
		return nil, fmt.Errorf("want one line %q followed by base64", label)
	}
	b, err := base64.StdEncoding.DecodeString(fields[1])
	if err != nil {
		return nil, fmt.Errorf("bad base64: %w", err)
	}
	if len(b) != size {
		return nil, fmt.Errorf("%d bytes, want %d", len(b), size)
	}
	return b, nil
}

// signature is the text of manifest.json.sig for a manifest's bytes.
func signature(key ed25519.PrivateKey, manifest []byte) []byte {
	return []byte(signatureLabel + " " + base64.StdEncoding.EncodeToString(ed25519.Sign(key, manifest)) + "\n")
}

// Report is what Verify found in a copy.
type Report struct {
	Files   int      // files the manifest lists
	Missing []string // listed, not in the folder
	Changed []string // listed, with other bytes
	Extra   []string // in the folder, not listed
}

// OK reports whether the copy is exactly what the manifest lists.
func (r *Report) OK() bool { return len(r.Missing)+len(r.Changed)+len(r.Extra) == 0 }

// ErrBadSignature is returned by Verify when the manifest's signature does
// not check out against the key: nothing else in the copy can be trusted.
var ErrBadSignature = errors.New("the signature of manifest.json does not match the key: the copy cannot be trusted")

// Verify checks a copy against its signed manifest: first the signature of
// manifest.json's exact bytes with pub, then every file's size and SHA-256,
// and that no file is there that the manifest does not list. The report
// names every missing, changed and extra file (sorted); the error is
// ErrBadSignature, or says how many files are wrong, or is nil when the
// copy is exactly as signed.
func Verify(dir string, pub ed25519.PublicKey) (*Report, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil, fmt.Errorf("no manifest: %w", err)
	}
	sigText, err := os.ReadFile(filepath.Join(dir, SignatureName))
	if err != nil {
		return nil, fmt.Errorf("no signature (the copy was exported without --sign?): %w", err)
	}
	sig, err := parseLine(string(sigText), signatureLabel, ed25519.SignatureSize)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", SignatureName, err)
	}
	if !ed25519.Verify(pub, data, sig) {
		return nil, ErrBadSignature
	}
	m, _, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	rep := &Report{Files: len(m.Files)}
	seen := map[string]bool{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == ManifestName || rel == SignatureName {
			return nil
		}
		want, listed := m.Files[rel]
		if !listed {
			rep.Extra = append(rep.Extra, rel)
			return nil
		}
		seen[rel] = true
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if fileEntry(body) != want {
			rep.Changed = append(rep.Changed, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for p := range m.Files {
		if !seen[p] {
			rep.Missing = append(rep.Missing, p)
		}
	}
	slices.Sort(rep.Missing)
	slices.Sort(rep.Changed)
	slices.Sort(rep.Extra)
	if !rep.OK() {
		return rep, fmt.Errorf("the copy differs from its signed manifest: %d missing, %d changed, %d extra",
			len(rep.Missing), len(rep.Changed), len(rep.Extra))
	}
	return rep, nil
}
