package admin

import (
	"context"
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/newsdesk/newsdesk/internal/auth"
	"github.com/newsdesk/newsdesk/internal/media"
	"github.com/newsdesk/newsdesk/internal/news"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
	"github.com/newsdesk/newsdesk/internal/testkit"
)

// uploadPhoto adds a w × h photo to the library as the editor and returns
// its id.
func uploadPhoto(t *testing.T, f *fixture, w, h int) int64 {
	t.Helper()
	res := f.as(t, "editor").postFile("/admin/media", url.Values{"alt": {"A quay"}}, "quay.jpg", testJPEG(t, w, h))
	loc := res.location()
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/admin/media/"), 10, 64)
	if res.status != 303 || err != nil {
		t.Fatalf("upload: %d %s", res.status, loc)
	}
	return id
}

// TestSaveFramingWithoutScript: the framing form's numbers, as typed
// without JavaScript, set the focal point and a drawn crop; the copies of
// the new crops exist before the page names them; bad numbers are refused
// naming the field, and change nothing.
func TestSaveFramingWithoutScript(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		id := uploadPhoto(t, f, 800, 600)
		ed := f.as(t, "editor")
		path := "/admin/media/" + itoa(id)
		page := ed.get(path)
		for _, want := range []string{`name="focus_x"`, `name="crop_16x9_w"`, `name="crop_1x1_h"`, `action="` + path + `/framing"`, `src="/admin/static/crop.`} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the photo page has no %s", want)
			}
		}
		form := url.Values{"focus_x": {"0.1"}, "focus_y": {"0.25"},
			"crop_1x1_x": {"200"}, "crop_1x1_y": {"0"}, "crop_1x1_w": {"600"}, "crop_1x1_h": {"600"},
			"crop_16x9_x": {""}, "crop_16x9_y": {""}, "crop_16x9_w": {""}, "crop_16x9_h": {""}}
		res := ed.post(path+"/framing", form)
		if res.status != 303 || !strings.HasPrefix(res.location(), path+"?done=saved") {
			t.Fatalf("saving the framing: %d %s\n%.500s", res.status, res.location(), res.body)
		}
		p, err := st.LibraryPhoto(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var want news.Framing
		want.SetFocus(news.Point{X: 0.1, Y: 0.25})
		want.SetCrop(news.Square, news.Rect{X: 200, Y: 0, W: 600, H: 600})
		if p.Media.Framing != want {
			t.Fatalf("stored framing %+v, want %+v", p.Media.Framing, want)
		}
		for _, a := range news.Aspects {
			for _, v := range media.CropVariants(p.Media, a) {
				file, err := f.ms.Open(v.Key)
				if err != nil {
					t.Errorf("the copy %s of the saved %v crop was not made: %v", v.Key, a, err)
					continue
				}
				file.Close()
			}
		}
		// The page shows the stored numbers, and the saved crop.
		page = ed.get(path)
		sq := media.CropVariants(p.Media, news.Square)
		for _, want := range []string{`id="focus_x" name="focus_x" type="number" min="0" max="1" step="any" value="0.1"`, `id="crop_1x1_w" name="crop_1x1_w" type="number" min="1" step="1" value="600"`, sq[len(sq)-1].Key} {
			if !strings.Contains(page.body, want) {
				t.Errorf("after saving, the page has no %s", want)
			}
		}

		for _, c := range []struct {
			name  string
			set   map[string]string
			field string // data-field of the error
			msg   string
		}{
			{"focus past the edge", map[string]string{"focus_x": "1.5"}, "focus_x", "between 0 and 1"},
			{"focus not a number", map[string]string{"focus_y": "top"}, "focus_y", `is not a number between 0 and 1`},
			{"crop outside", map[string]string{"crop_16x9_x": "0", "crop_16x9_y": "200", "crop_16x9_w": "800", "crop_16x9_h": "450"}, "crop_16x9_x", "reaches outside the photo"},
			{"crop of the wrong shape", map[string]string{"crop_4x3_x": "0", "crop_4x3_y": "0", "crop_4x3_w": "600", "crop_4x3_h": "600"}, "crop_4x3_x", "not 4:3"},
			{"crop half typed", map[string]string{"crop_4x3_x": "0", "crop_4x3_y": "0", "crop_4x3_w": "", "crop_4x3_h": "300"}, "crop_4x3_w", "width"},
			{"crop all zero", map[string]string{"crop_4x3_x": "0", "crop_4x3_y": "0", "crop_4x3_w": "0", "crop_4x3_h": "0"}, "crop_4x3_x", "empty"},
		} {
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			for k, v := range c.set {
				bad.Set(k, v)
			}
			res := ed.post(path+"/framing", bad)
			if res.status != 400 || !strings.Contains(res.body, `data-field="`+c.field+`"`) || !strings.Contains(res.body, c.msg) {
				t.Errorf("%s: %d, want 400 on %s saying %q\n%.300s", c.name, res.status, c.field, c.msg, res.body[strings.Index(res.body, "<main"):])
			}
			// What was typed comes back in the form.
			for k, v := range c.set {
				if v != "" && !strings.Contains(res.body, `name="`+k+`"`) {
					t.Errorf("%s: the form lost %s", c.name, k)
				}
			}
			if p, _ := st.LibraryPhoto(ctx, id); p.Media.Framing != want {
				t.Errorf("%s: the framing changed to %+v", c.name, p.Media.Framing)
			}
		}
		// A contributor may look, not frame.
		if res := f.as(t, "contributor").post(path+"/framing", form); res.status != 403 {
			t.Errorf("a contributor framing a photo: %d, want 403", res.status)
		}
	})
}

// TestFramingByDragging: in Chromium, dragging on the photo moves the
// focal point, and Save stores where it was let go.
func TestFramingByDragging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		if st.Engine() != "sqlite" {
			t.Skip("the browser's part does not depend on the engine")
		}
		f := newFixture(t, st)
		id := uploadPhoto(t, f, 1000, 500)
		bctx := testkit.BrowserContext(t)
		token, hash := auth.NewToken()
		if err := st.CreateSession(ctx, hash, &news.Session{UserID: f.users["editor"].ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		within := func(fn func(c context.Context) error) {
			t.Helper()
			c, cancel := context.WithTimeout(bctx, 30*time.Second)
			defer cancel()
			if err := fn(c); err != nil {
				t.Fatal(err)
			}
		}
		within(func(c context.Context) error {
			_, err := chromedp.Call(c, network.SetCookie, network.SetCookieParams{Name: cookiePlain, Value: token, URL: f.srv.URL + "/admin/", Path: "/admin/"})
			return err
		})
		path := "/admin/media/" + itoa(id)
		var box []float64
		within(func(c context.Context) error {
			err := chromedp.Do(c, chromedp.Navigate(f.srv.URL+path), chromedp.WaitVisible(".crop-stage img"), chromedp.ScrollIntoView(".crop-stage img"))
			if err != nil {
				return err
			}
			if _, err := chromedp.Run(c, chromedp.Poll[bool](`document.querySelector(".crop-stage img").complete`)); err != nil {
				return err
			}
			box, err = chromedp.Run(c, chromedp.Evaluate[[]float64](`(() => { const b = document.querySelector(".crop-stage img").getBoundingClientRect(); return [b.left, b.top, b.width, b.height] })()`))
			return err
		})
		at := func(fx, fy float64) (float64, float64) { return box[0] + fx*box[2], box[1] + fy*box[3] }
		x0, y0 := at(0.5, 0.5)
		x1, y1 := at(0.2, 0.3)
		x2, y2 := at(0.3, 0.75)
		pressed := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
		var fx, fy string
		within(func(c context.Context) error {
			err := chromedp.Do(c,
				chromedp.MouseEvent(chromedp.MousePressed, x0, y0, pressed, chromedp.ClickCount(1)),
				chromedp.MouseEvent(chromedp.MouseMoved, x1, y1, pressed),
				chromedp.MouseEvent(chromedp.MouseMoved, (x1+x2)/2, (y1+y2)/2, pressed),
				chromedp.MouseEvent(chromedp.MouseMoved, x2, y2, pressed),
				chromedp.MouseEvent(chromedp.MouseReleased, x2, y2, chromedp.ButtonLeft, chromedp.ClickCount(1)))
			if err != nil {
				return err
			}
			if fx, err = chromedp.Run(c, chromedp.Value("#focus_x")); err != nil {
				return err
			}
			fy, err = chromedp.Run(c, chromedp.Value("#focus_y"))
			return err
		})
		gx, _ := strconv.ParseFloat(fx, 64)
		gy, _ := strconv.ParseFloat(fy, 64)
		if math.Abs(gx-0.3) > 0.02 || math.Abs(gy-0.75) > 0.02 {
			t.Fatalf("after the drag the fields say %q, %q; want about 0.3, 0.75", fx, fy)
		}
		// The 4:3 crop's fields are empty (it follows), and its
		// placeholder shows where the focal point puts it.
		var ph chromedp.AttributeResult
		within(func(c context.Context) (err error) {
			ph, err = chromedp.Run(c, chromedp.AttributeValue("#crop_4x3_y", "placeholder"))
			return err
		})
		if want := news.SuggestCrop(news.Standard, 1000, 500, news.Point{X: gx, Y: gy}); ph.Value != strconv.Itoa(want.Y) {
			t.Errorf("4:3 crop's top edge placeholder %q, want %d", ph.Value, want.Y)
		}
		within(func(c context.Context) error {
			return chromedp.Do(c, chromedp.Click(`form.framing button[type="submit"]`), chromedp.WaitVisible(`p.flash`))
		})
		p, err := st.LibraryPhoto(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Media.Framing
		if !got.HasFocus || math.Abs(got.Focus.X-gx) > 1e-9 || math.Abs(got.Focus.Y-gy) > 1e-9 {
			t.Errorf("stored focus %+v, want %v, %v", got, gx, gy)
		}
		if _, ok := got.Explicit(news.Wide); ok {
			t.Error("a crop nobody drew was stored as drawn")
		}
	})
}
