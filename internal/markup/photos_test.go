package markup

import (
	"strings"
	"testing"
)

// testPhotos answers for the photos under /media/ph/: three variants each.
func testPhotos(src string) (PhotoSet, bool) {
	name, ok := strings.CutPrefix(src, "/media/ph/")
	if !ok {
		return PhotoSet{}, false
	}
	base := "/media/ph/" + strings.SplitN(name, "-", 2)[0]
	return PhotoSet{Src: base + "-1280.jpg", Width: 1280, Height: 720, Sources: []PhotoSource{
		{base + "-320.jpg", 320}, {base + "-640.jpg", 640}, {base + "-1280.jpg", 1280},
	}}, true
}

const bodySizes = "(min-width: 44rem) 42rem, 100vw"

func TestRenderWithPhotos(t *testing.T) {
	opt := Options{Photo: testPhotos, Sizes: bodySizes}
	tests := []struct{ name, in, want string }{
		{"figure gets the set", `![Port cranes](/media/ph/abc-640.jpg "Cranes at dawn | AFP")`,
			`<figure><img src="/media/ph/abc-1280.jpg" srcset="/media/ph/abc-320.jpg 320w, /media/ph/abc-640.jpg 640w, /media/ph/abc-1280.jpg 1280w" sizes="(min-width: 44rem) 42rem, 100vw" width="1280" height="720" alt="Port cranes" loading="lazy"><figcaption>Cranes at dawn <small class="credit">AFP</small></figcaption></figure>` + "\n"},
		{"alt text is escaped", `![a "b" <c> & d](/media/ph/abc-640.jpg)`,
			`<figure><img src="/media/ph/abc-1280.jpg" srcset="/media/ph/abc-320.jpg 320w, /media/ph/abc-640.jpg 640w, /media/ph/abc-1280.jpg 1280w" sizes="(min-width: 44rem) 42rem, 100vw" width="1280" height="720" alt="a “b” &amp; d" loading="lazy"></figure>` + "\n"},
		{"unknown photo as Render has it", `![a](/media/other/x.jpg)`,
			`<figure><img src="/media/other/x.jpg" alt="a" loading="lazy"></figure>` + "\n"},
		{"an image in a sentence is not a figure", `See ![a](/media/ph/abc-640.jpg) here`,
			`<p>See <img src="/media/ph/abc-640.jpg" alt="a" loading="lazy"> here</p>` + "\n"},
		{"foreign image still dropped", `![a](https://evil.example/media/ph/abc.jpg)`, "<p>a</p>\n"},
	}
	for _, tt := range tests {
		got, err := RenderWith(tt.in, opt)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: RenderWith(%q)\ngot  %q\nwant %q", tt.name, tt.in, got, tt.want)
		}
		if p := problems(got); p != nil {
			t.Errorf("%s: %q: %v", tt.name, got, p)
		}
	}
}

// TestRenderWithBadSets: a resolver's answer that would put another
// origin, a broken srcset or a hostile sizes in the page is not used.
func TestRenderWithBadSets(t *testing.T) {
	const in = `![a](/media/ph/abc-640.jpg)`
	plain, _ := Render(in)
	good := PhotoSet{Src: "/media/a.jpg", Width: 10, Height: 10, Sources: []PhotoSource{{"/media/a.jpg", 10}}}
	for name, set := range map[string]PhotoSet{
		"foreign src":       {Src: "https://evil.example/a.jpg", Width: 10, Height: 10, Sources: good.Sources},
		"scheme-relative":   {Src: "//evil.example/a.jpg", Width: 10, Height: 10, Sources: good.Sources},
		"foreign source":    {Src: good.Src, Width: 10, Height: 10, Sources: []PhotoSource{{"https://evil.example/a.jpg", 10}}},
		"comma in a source": {Src: good.Src, Width: 10, Height: 10, Sources: []PhotoSource{{"/a.jpg,//evil.example/b.jpg", 10}}},
		"quote in a source": {Src: good.Src, Width: 10, Height: 10, Sources: []PhotoSource{{`/a.jpg" onerror="x`, 10}}},
		"no width":          {Src: good.Src, Height: 10, Sources: good.Sources},
		"negative width":    {Src: good.Src, Width: 10, Height: 10, Sources: []PhotoSource{{"/a.jpg", -1}}},
		"no sources":        {Src: good.Src, Width: 10, Height: 10},
		"too many sources":  {Src: good.Src, Width: 10, Height: 10, Sources: make([]PhotoSource, maxPhotoSources+1)},
	} {
		got, err := RenderWith(in, Options{Photo: func(string) (PhotoSet, bool) { return set, true }})
		if err != nil || got != plain {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, plain)
		}
	}
	got, _ := RenderWith(in, Options{Photo: func(string) (PhotoSet, bool) { return good, true }, Sizes: `100vw" onload="x`})
	if strings.Contains(got, "sizes") || !strings.Contains(got, `srcset="/media/a.jpg 10w"`) {
		t.Errorf("hostile sizes: %q", got)
	}
}

// TestRenderWithSameAsRender: without photos, or for bodies without
// figures, RenderWith writes exactly what Render does.
func TestRenderWithSameAsRender(t *testing.T) {
	bodies := append([]string{benchArticle()}, fuzzSeeds...)
	for _, tt := range hostileTests {
		bodies = append(bodies, tt.in)
	}
	for _, body := range bodies {
		want, _ := Render(body)
		if got, _ := RenderWith(body, Options{}); got != want {
			t.Errorf("RenderWith(%q, no options) differs from Render:\n%q\n%q", body, got, want)
		}
		if strings.Contains(want, "<figure><img") {
			continue
		}
		if got, _ := RenderWith(body, Options{Photo: testPhotos, Sizes: bodySizes}); got != want {
			t.Errorf("RenderWith(%q) differs from Render for a body without figures:\n%q\n%q", body, got, want)
		}
	}
}

func FuzzRenderWith(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "/media/ph/abc-640.jpg", 640)
	}
	f.Fuzz(func(t *testing.T, src, photo string, width int) {
		opt := Options{Sizes: bodySizes, Photo: func(string) (PhotoSet, bool) {
			return PhotoSet{Src: photo, Width: width, Height: width, Sources: []PhotoSource{{photo, width}}}, true
		}}
		out, err := RenderWith(src, opt)
		if err != nil {
			t.Fatalf("RenderWith(%q): %v", src, err)
		}
		if p := problems(out); p != nil {
			t.Errorf("RenderWith(%q) with %q = %q: %v", src, photo, out, p)
		}
	})
}

// TestWithPhotoSets: giving Render's HTML its photo sets afterwards writes
// what RenderWith writes from the Markdown, and changes nothing without
// figures or answers.
func TestWithPhotoSets(t *testing.T) {
	opt := Options{Photo: testPhotos, Sizes: bodySizes}
	bodies := []string{
		`![Port cranes](/media/ph/abc-640.jpg "Cranes at dawn | AFP")`,
		"Text.\n\n![a \"b\" <c> & d](/media/ph/abc-640.jpg)\n\nMore.\n\n![x](/media/ph/def-320.jpg \"t\")\n\n![y](/media/other/x.jpg)",
		"See ![a](/media/ph/abc-640.jpg) inline, then\n\n![b](/media/ph/abc-640.jpg)",
		"https://youtu.be/dQw4w9WgXcQ\n\n![b](</media/ph/a b.jpg>)",
		benchArticle(),
	}
	bodies = append(bodies, fuzzSeeds...)
	for _, body := range bodies {
		plain, _ := Render(body)
		want, _ := RenderWith(body, opt)
		if got := WithPhotoSets(plain, opt); got != want {
			t.Errorf("WithPhotoSets(Render(%q))\ngot  %q\nwant %q", body, got, want)
		}
		if got := WithPhotoSets(plain, Options{}); got != plain {
			t.Errorf("WithPhotoSets without Photo changed %q", plain)
		}
	}
	if !strings.Contains(WithPhotoSets(mustRender(t, bodies[1]), opt), `srcset="/media/ph/def-320.jpg 320w`) {
		t.Error("the second figure got no srcset")
	}
}

func mustRender(t *testing.T, src string) string {
	t.Helper()
	out, err := Render(src)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func FuzzWithPhotoSets(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "/media/ph/abc-640.jpg", 640)
	}
	f.Add("![a](/media/ph/abc-640.jpg)", `/x.jpg" onerror="alert(1)`, 10)
	f.Fuzz(func(t *testing.T, src, photo string, width int) {
		opt := Options{Sizes: bodySizes, Photo: func(s string) (PhotoSet, bool) {
			if strings.HasSuffix(s, "9.jpg") {
				return PhotoSet{}, false
			}
			return PhotoSet{Src: photo, Width: width, Height: width, Sources: []PhotoSource{{photo, width}, {s, 1}}}, true
		}}
		plain, err := Render(src)
		if err != nil {
			t.Fatal(err)
		}
		got := WithPhotoSets(plain, opt)
		if p := problems(got); p != nil {
			t.Errorf("WithPhotoSets(Render(%q)) with %q = %q: %v", src, photo, got, p)
		}
		if want, _ := RenderWith(src, opt); got != want {
			t.Errorf("WithPhotoSets(Render(%q)) with %q\ngot  %q\nwant %q", src, photo, got, want)
		}
	})
}

// BenchmarkWithPhotoSets is what a public page adds to a 1,500-word body
// with six figures: a scan of the stored HTML and six answers.
func BenchmarkWithPhotoSets(b *testing.B) {
	html, err := Render(benchArticle())
	if err != nil {
		b.Fatal(err)
	}
	set := PhotoSet{Src: "/media/2024/port-1280.jpg", Width: 1280, Height: 720, Sources: []PhotoSource{
		{"/media/2024/port-320.jpg", 320}, {"/media/2024/port-640.jpg", 640}, {"/media/2024/port-1280.jpg", 1280}}}
	opt := Options{Sizes: bodySizes, Photo: func(string) (PhotoSet, bool) { return set, true }}
	b.SetBytes(int64(len(html)))
	b.ReportAllocs()
	for b.Loop() {
		_ = WithPhotoSets(html, opt)
	}
}
