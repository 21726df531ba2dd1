package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsdesk/newsdesk/internal/testkit/s3server"
)

// TestCommandsUseS3Media: import, generate and export take the photos'
// store from --media (here through NEWSDESK_MEDIA, as an operator who set
// it for serve has it) like serve: a WordPress export's photos are
// imported into the bucket, nothing onto the disk; a static copy is
// exported with every photo read from the bucket, byte for byte; a
// generated archive's photos go into the bucket.
func TestCommandsUseS3Media(t *testing.T) {
	b := s3server.Shared(t)
	vars := map[string]string{
		"NEWSDESK_DATA":           t.TempDir(),
		"NEWSDESK_MEDIA":          b.URL(),
		"NEWSDESK_MEDIA_ENDPOINT": b.Endpoint,
		"AWS_ACCESS_KEY_ID":       b.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY":   b.SecretAccessKey,
	}
	ctx := context.Background()
	cmd := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, args, env(vars), nil, &out, &errOut); err != nil {
			t.Fatalf("%s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	objects := func(prefix string) map[string]bool {
		t.Helper()
		names := map[string]bool{}
		p := s3.NewListObjectsV2Paginator(b.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(b.Bucket), Prefix: aws.String(b.Prefix + prefix)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page.Contents {
				names[strings.TrimPrefix(aws.ToString(o.Key), b.Prefix)] = true
			}
		}
		return names
	}

	wp := filepath.Join("testdata", "wordpress")
	cmd("import", "--uploads", filepath.Join(wp, "uploads"), filepath.Join(wp, "export.xml"))
	originals := len(objects("originals/"))
	if originals == 0 {
		t.Fatal("the import stored no photo in the bucket")
	}
	noPhotosOnDisk(t, vars["NEWSDESK_DATA"])

	dir := filepath.Join(t.TempDir(), "copy")
	out := cmd("export", dir, "--base-url", "https://courier.example.org")
	exported := 0
	filepath.WalkDir(filepath.Join(dir, "media"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(filepath.Join(dir, "media"), p)
		obj, err := b.Client().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(b.Prefix + "public/" + filepath.ToSlash(rel))})
		if err != nil {
			t.Errorf("the copy's %s is not in the bucket: %v", rel, err)
			return nil
		}
		want, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if got, _ := os.ReadFile(p); !bytes.Equal(got, want) {
			t.Errorf("the copy's %s: %d bytes, the bucket's %d", rel, len(got), len(want))
		}
		exported++
		return nil
	})
	if exported == 0 {
		t.Errorf("the static copy holds no photo: %s", out)
	}
	t.Logf("imported %d originals into the bucket; exported %d photo files from it", originals, exported)

	// A generated archive, in a site of its own under another prefix.
	gvars := map[string]string{}
	for k, v := range vars {
		gvars[k] = v
	}
	gvars["NEWSDESK_DATA"] = t.TempDir()
	gvars["NEWSDESK_MEDIA"] = b.URL() + "generated"
	vars = gvars
	cmd("generate", "--articles", "30")
	if n := len(objects("generated/originals/")); n == 0 {
		t.Error("generate stored no photo in the bucket")
	}
	noPhotosOnDisk(t, gvars["NEWSDESK_DATA"])
}

// TestImportRefusesOldMediaFlag: --media was once import's name for the
// old site's images (now --uploads); a folder of images given with it is
// refused, naming --uploads, rather than used as the site's media folder
// (which would add originals/ and public/ to it).
func TestImportRefusesOldMediaFlag(t *testing.T) {
	data := t.TempDir()
	uploads := filepath.Join("testdata", "wordpress", "uploads")
	_, _, err := importRun(t, data, nil, "--media", uploads, filepath.Join("testdata", "wordpress", "export.xml"))
	if err == nil || !strings.Contains(err.Error(), "--uploads "+uploads) || exitCode(err) != 2 {
		t.Errorf("import --media IMAGES = %v, want a usage error naming --uploads", err)
	}
	for _, d := range []string{"originals", "public"} {
		if _, err := os.Stat(filepath.Join(uploads, d)); err == nil {
			t.Errorf("the images folder got a %s folder", d)
		}
	}
}

// TestCommandsStopBeforeAnythingWhenTheBucketIsAway: import, generate and
// export with a bucket that cannot be reached stop at once naming --media
// and the store, and leave nothing behind: no data folder, no database
// made and migrated for a site that was not there.
func TestCommandsStopBeforeAnythingWhenTheBucketIsAway(t *testing.T) {
	ctx := context.Background()
	wp := filepath.Join("testdata", "wordpress", "export.xml")
	for _, args := range [][]string{
		{"import", "--uploads", t.TempDir(), wp},
		{"import", "--dry-run", wp},
		{"generate", "--articles", "3"},
		{"export", "--base-url", "https://courier.example.org", filepath.Join(t.TempDir(), "copy")},
	} {
		data := filepath.Join(t.TempDir(), "site")
		vars := map[string]string{
			"NEWSDESK_DATA":           data,
			"NEWSDESK_MEDIA":          "s3://newsroom-photos/site",
			"NEWSDESK_MEDIA_ENDPOINT": "http://127.0.0.1:9",
			"AWS_ACCESS_KEY_ID":       "k",
			"AWS_SECRET_ACCESS_KEY":   "s",
		}
		var out, errOut bytes.Buffer
		err := run(ctx, args, env(vars), nil, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), "--media s3://newsroom-photos/site") {
			t.Errorf("%s with the bucket away: %v, want it to stop naming --media", args[0], err)
		}
		if _, err := os.Stat(data); !os.IsNotExist(err) {
			entries, _ := os.ReadDir(data)
			t.Errorf("%s with the bucket away left the data folder behind (%v): %v", strings.Join(args[:2], " "), err, entries)
		}
	}
}
