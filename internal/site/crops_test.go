package site_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// bigPhoto is a 2400 × 1600 JPEG: large enough for 1200-wide copies of
// every crop.
func bigPhoto(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 2400, 1600))
	for y := range 1600 {
		for x := range 2400 {
			m.SetRGBA(x, y, color.RGBA{uint8(x / 10), uint8(y / 7), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 70}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestArticleImagesAreItsCrops: the NewsArticle's image is the lead
// photo's 16:9, 4:3 and 1:1 crops, each 1200 pixels wide when the photo
// allows, and og:image (which X's large card shows) is the 16:9 one; the files at
// those addresses are pictures of those sizes. Moving the focal point
// moves every one of them to new addresses.
func TestArticleImagesAreItsCrops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		fsys := fstest.MapFS{
			"big.jpg": {Data: bigPhoto(t)},
			"crops.md": {Data: []byte(`---
title: "Harbour at dawn"
date: 2026-11-26T06:00:00Z
section: news
summary: "A wide photo."
image:
  src: big.jpg
  alt: "The harbour at dawn"
---
Text.
`)},
		}
		if _, err := ds.im.ImportFile(ctx, fsys, "crops.md"); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		const path = "/news/harbour-at-dawn"

		check := func(t *testing.T, label string) []string {
			t.Helper()
			body := ds.get(t, path)
			na := structured(t, path, body)["NewsArticle"]
			images, _ := na["image"].([]any)
			if len(images) != len(news.Aspects) {
				t.Fatalf("%s: %d images, want %d: %v", label, len(images), len(news.Aspects), na["image"])
			}
			var urls []string
			for i, a := range news.Aspects {
				im := images[i].(map[string]any)
				u, _ := im["url"].(string)
				w, h := int(im["width"].(float64)), int(im["height"].(float64))
				if w != 1200 || absInt(w*a.H-h*a.W) > max(a.W, a.H) {
					t.Errorf("%s: %v image is %d x %d, want 1200 wide and %v", label, a, w, h, a)
				}
				if !strings.Contains(u, "-"+a.Name()+"-") {
					t.Errorf("%s: %v image %s is not that crop's copy", label, a, u)
				}
				res, data := ds.fetch(t, strings.TrimPrefix(u, distBase))
				if res.StatusCode != 200 {
					t.Fatalf("%s: GET %s: %d", label, u, res.StatusCode)
				}
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
				if err != nil || cfg.Width != w || cfg.Height != h {
					t.Errorf("%s: %s is %d x %d (%v), the JSON-LD says %d x %d", label, u, cfg.Width, cfg.Height, err, w, h)
				}
				urls = append(urls, u)
			}
			m := metas(body)
			// X reads og:image for a large card (it has no twitter:image).
			if m["og:image"] != urls[0] || m["twitter:card"] != "summary_large_image" {
				t.Errorf("%s: og:image %q, twitter:card %q; want the 16:9 crop %s, large", label, m["og:image"], m["twitter:card"], urls[0])
			}
			if m["og:image:width"] != "1200" || m["og:image:height"] != "675" {
				t.Errorf("%s: og:image is %s x %s, want 1200 x 675", label, m["og:image:width"], m["og:image:height"])
			}
			return urls
		}
		before := check(t, "centre")

		// An editor moves the focal point to the top left: the new crops
		// are new addresses (their copies made when first asked for, as
		// the newsroom makes them when it saves).
		p, err := s.PhotoByHash(ctx, hashOf(t, before[0]))
		if err != nil {
			t.Fatal(err)
		}
		var f news.Framing
		f.SetFocus(news.Point{X: 0, Y: 0})
		if err := s.SetPhotoFraming(ctx, p.Media.ID, f); err != nil {
			t.Fatal(err)
		}
		ds.site.Changed()
		after := check(t, "framed")
		for i, a := range news.Aspects {
			if after[i] == before[i] {
				t.Errorf("%v: the address %s did not change with the crop", a, after[i])
			}
		}
	})
}

var mediaKey = regexp.MustCompile(`/media/[0-9a-f]{2}/([0-9a-f]{64})-`)

func hashOf(t *testing.T, u string) string {
	t.Helper()
	m := mediaKey.FindStringSubmatch(u)
	if m == nil {
		t.Fatalf("%s is not a media address", u)
	}
	return m[1]
}

func absInt(x int) int { return max(x, -x) }

// TestCardsShowCrops: a card shows the 16:9 crop, with the 4:3 crop for a
// phone's rows, and its copies, not on disk until first asked for, are
// served all the same.
func TestCardsShowCrops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ds := newDistSite(t, s, distOptions{})
		body := string(ds.get(t, "/news/"))
		card := regexp.MustCompile(`<picture><source media="\(max-width: 35.99rem\)" srcset="([^"]+)" sizes="7.5rem" width="(\d+)" height="(\d+)"><img src="([^"]+)" srcset="[^"]+" sizes="[^"]+" width="(\d+)" height="(\d+)"`).FindStringSubmatch(body)
		if card == nil {
			t.Fatalf("no card with a picture of two crops on /news/:\n%s", body)
		}
		tw, _ := strconv.Atoi(card[2])
		th, _ := strconv.Atoi(card[3])
		w, _ := strconv.Atoi(card[5])
		h, _ := strconv.Atoi(card[6])
		if tw*3 != th*4 || w*9 != h*16 {
			t.Errorf("card thumbnail %d x %d and photo %d x %d, want 4:3 and 16:9", tw, th, w, h)
		}
		if !strings.Contains(card[1], "-4x3-") || !strings.Contains(card[4], "-16x9-") {
			t.Errorf("card sources %s and %s are not the 4:3 and 16:9 crops", card[1], card[4])
		}
		// Storing a photo makes no crop copy (media.Store.Put): the
		// first request for one makes it from the original, as for a
		// photo stored before crops.
		dir := ds.mediaDir
		src := card[4]
		file := filepath.Join(dir, "public", filepath.FromSlash(strings.TrimPrefix(src, "/media/")))
		if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%s is on disk before any request for it (%v)", src, err)
		}
		res, data := ds.fetch(t, src)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s, not on disk yet: %d", src, res.StatusCode)
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != w || cfg.Height != h {
			t.Errorf("remade %s: %d x %d, %v; want %d x %d", src, cfg.Width, cfg.Height, err, w, h)
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("the remade copy was not kept: %v", err)
		}
	})
}
