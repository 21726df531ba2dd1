package markup

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestEmbedOf(t *testing.T) {
	tests := []struct {
		in                              string
		provider, kind, ratio, url, src string
	}{
		// YouTube: watch, youtu.be, shorts, embed, live, mobile; start times.
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&si=tracking", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"http://m.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://youtu.be/dQw4w9WgXcQ?t=90", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3723s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=3723"},
		{"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=soon", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://www.youtube.com/shorts/abcDEF12_-x", "youtube", "video", "9x16",
			"https://www.youtube.com/shorts/abcDEF12_-x", "https://www.youtube-nocookie.com/embed/abcDEF12_-x"},
		{"https://www.youtube.com/embed/dQw4w9WgXcQ?start=30", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30"},
		{"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"https://www.youtube.com/live/dQw4w9WgXcQ", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},
		{"HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", "youtube", "video", "16x9",
			"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"},

		// Vimeo.
		{"https://vimeo.com/76979871", "vimeo", "video", "16x9",
			"https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"},
		{"https://vimeo.com/76979871/a1b2c3d4e5", "vimeo", "video", "16x9",
			"https://vimeo.com/76979871/a1b2c3d4e5", "https://player.vimeo.com/video/76979871?dnt=1&h=a1b2c3d4e5"},
		{"https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&badge=0", "vimeo", "video", "16x9",
			"https://vimeo.com/76979871/a1b2c3d4e5", "https://player.vimeo.com/video/76979871?dnt=1&h=a1b2c3d4e5"},
		{"https://vimeo.com/channels/staffpicks/76979871", "vimeo", "video", "16x9",
			"https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"},

		// X and Twitter.
		{"https://x.com/NASA/status/1234567890123456789", "x", "post", "post",
			"https://x.com/NASA/status/1234567890123456789", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1234567890123456789"},
		{"https://twitter.com/NASA/status/1234567890123456789?s=20", "x", "post", "post",
			"https://x.com/NASA/status/1234567890123456789", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1234567890123456789"},
		{"https://mobile.twitter.com/NASA/status/123/photo/1", "x", "post", "post",
			"https://x.com/NASA/status/123", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=123"},
		{"https://x.com/i/web/status/123", "x", "post", "post",
			"https://x.com/i/web/status/123", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=123"},

		// Instagram.
		{"https://www.instagram.com/p/C1a2B3c4D5e/", "instagram", "post", "post",
			"https://www.instagram.com/p/C1a2B3c4D5e/", "https://www.instagram.com/p/C1a2B3c4D5e/embed/"},
		{"https://instagram.com/reel/C1a2B3c4D5e/?igsh=x", "instagram", "reel", "post",
			"https://www.instagram.com/reel/C1a2B3c4D5e/", "https://www.instagram.com/reel/C1a2B3c4D5e/embed/"},
		{"https://www.instagram.com/natgeo/p/C1a2B3c4D5e/", "instagram", "post", "post",
			"https://www.instagram.com/p/C1a2B3c4D5e/", "https://www.instagram.com/p/C1a2B3c4D5e/embed/"},

		// Facebook.
		{"https://www.facebook.com/nasa/posts/10159876543210", "facebook", "post", "post",
			"https://www.facebook.com/nasa/posts/10159876543210",
			"https://www.facebook.com/plugins/post.php?show_text=true&href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fposts%2F10159876543210"},
		{"https://m.facebook.com/nasa/posts/pfbid02abcDEF123ghi", "facebook", "post", "post",
			"https://www.facebook.com/nasa/posts/pfbid02abcDEF123ghi",
			"https://www.facebook.com/plugins/post.php?show_text=true&href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fposts%2Fpfbid02abcDEF123ghi"},
		{"https://www.facebook.com/watch/?v=123456789", "facebook", "video", "16x9",
			"https://www.facebook.com/watch/?v=123456789",
			"https://www.facebook.com/plugins/video.php?show_text=false&href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D123456789"},
		{"https://www.facebook.com/nasa/videos/123456789/", "facebook", "video", "16x9",
			"https://www.facebook.com/nasa/videos/123456789",
			"https://www.facebook.com/plugins/video.php?show_text=false&href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fvideos%2F123456789"},

		// TikTok.
		{"https://www.tiktok.com/@scout2015/video/6718335390845095173", "tiktok", "video", "9x16",
			"https://www.tiktok.com/@scout2015/video/6718335390845095173", "https://www.tiktok.com/embed/v2/6718335390845095173"},
		{"https://www.tiktok.com/embed/v2/6718335390845095173", "tiktok", "video", "9x16",
			"https://www.tiktok.com/embed/v2/6718335390845095173", "https://www.tiktok.com/embed/v2/6718335390845095173"},

		// SoundCloud.
		{"https://soundcloud.com/forss/flickermood", "soundcloud", "track", "audio",
			"https://soundcloud.com/forss/flickermood",
			"https://w.soundcloud.com/player/?visual=false&show_comments=false&url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fflickermood"},
		{"https://soundcloud.com/forss/sets/soulhack", "soundcloud", "playlist", "list",
			"https://soundcloud.com/forss/sets/soulhack",
			"https://w.soundcloud.com/player/?visual=false&show_comments=false&url=https%3A%2F%2Fsoundcloud.com%2Fforss%2Fsets%2Fsoulhack"},

		// Spotify.
		{"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=abc", "spotify", "track", "audio",
			"https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC"},
		{"https://open.spotify.com/intl-de/album/4uLU6hMCjMI75M1A2tKUQC", "spotify", "album", "list",
			"https://open.spotify.com/album/4uLU6hMCjMI75M1A2tKUQC", "https://open.spotify.com/embed/album/4uLU6hMCjMI75M1A2tKUQC"},
		{"https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC", "spotify", "episode", "audio",
			"https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC", "https://open.spotify.com/embed/episode/4uLU6hMCjMI75M1A2tKUQC"},

		// Datawrapper and Flourish.
		{"https://datawrapper.dwcdn.net/Ab3dE/2/", "datawrapper", "chart", "4x3",
			"https://datawrapper.dwcdn.net/Ab3dE/2/", "https://datawrapper.dwcdn.net/Ab3dE/2/"},
		{"https://www.datawrapper.de/_/Ab3dE/", "datawrapper", "chart", "4x3",
			"https://datawrapper.dwcdn.net/Ab3dE/", "https://datawrapper.dwcdn.net/Ab3dE/"},
		{"https://public.flourish.studio/visualisation/1234567/", "flourish", "chart", "4x3",
			"https://public.flourish.studio/visualisation/1234567/", "https://flo.uri.sh/visualisation/1234567/embed"},
		{"https://flo.uri.sh/story/98765/embed", "flourish", "story", "4x3",
			"https://public.flourish.studio/story/98765/", "https://flo.uri.sh/story/98765/embed"},

		// OpenStreetMap: a view, a marker, an embed address.
		{"https://www.openstreetmap.org/#map=12/52.5200/13.4050", "openstreetmap", "map", "4x3",
			"https://www.openstreetmap.org/#map=12/52.52/13.405",
			"https://www.openstreetmap.org/export/embed.html?bbox=13.281404,52.463595,13.528596,52.576405&layer=mapnik"},
		{"https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405", "openstreetmap", "map", "4x3",
			"https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405",
			"https://www.openstreetmap.org/export/embed.html?bbox=13.397275,52.516475,13.412725,52.523525&layer=mapnik&marker=52.52,13.405"},
		{"https://www.openstreetmap.org/export/embed.html?bbox=13.3,52.4,13.5,52.6&layer=mapnik&marker=52.5,13.4", "openstreetmap", "map", "4x3",
			"https://www.openstreetmap.org/?minlon=13.3&minlat=52.4&maxlon=13.5&maxlat=52.6&mlat=52.5&mlon=13.4",
			"https://www.openstreetmap.org/export/embed.html?bbox=13.3,52.4,13.5,52.6&layer=mapnik&marker=52.5,13.4"},

		// Google Maps: a view, a place, a search, the embed code's address.
		{"https://www.google.com/maps/@48.8584,2.2945,17z", "googlemaps", "map", "4x3",
			"https://www.google.com/maps/@48.8584,2.2945,17z", "https://www.google.com/maps?output=embed&q=48.8584,2.2945&z=17"},
		{"https://www.google.com/maps/place/Eiffel+Tower/@48.8584,2.2945,17z/data=!3m1!4b1", "googlemaps", "map", "4x3",
			"https://www.google.com/maps/place/Eiffel%20Tower/@48.8584,2.2945,17z",
			"https://www.google.com/maps?output=embed&q=Eiffel+Tower&ll=48.8584,2.2945&z=17"},
		{"https://maps.google.com/?q=Caf%C3%A9+de+Flore&z=15", "googlemaps", "map", "4x3",
			"https://www.google.com/maps?q=Caf%C3%A9+de+Flore&z=15", "https://www.google.com/maps?output=embed&q=Caf%C3%A9+de+Flore&z=15"},
		{"https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2624.99!2d2.2945!3d48.8584", "googlemaps", "map", "4x3",
			"https://www.google.com/maps/embed?pb=%211m18%211m12%211m3%211d2624.99%212d2.2945%213d48.8584",
			"https://www.google.com/maps/embed?pb=%211m18%211m12%211m3%211d2624.99%212d2.2945%213d48.8584"},
	}
	for _, tt := range tests {
		e, ok := EmbedOf(tt.in)
		if !ok {
			t.Errorf("EmbedOf(%q): not an embed", tt.in)
			continue
		}
		got := []string{e.Provider, e.Kind, e.Ratio, e.URL, e.Src}
		want := []string{tt.provider, tt.kind, tt.ratio, tt.url, tt.src}
		if !slices.Equal(got, want) {
			t.Errorf("EmbedOf(%q)\ngot  %q\nwant %q", tt.in, got, want)
		}
		checkEmbed(t, tt.in, e)
	}
}

// checkEmbed checks what must hold of every embed EmbedOf returns.
func checkEmbed(t *testing.T, in string, e Embed) {
	t.Helper()
	p := providerNamed(e.Provider)
	if !strings.HasPrefix(e.Src, p.Prefix) {
		t.Errorf("EmbedOf(%q).Src = %q: not under %s", in, e.Src, p.Prefix)
	}
	if !regexp.MustCompile(`^(?:` + embedSrcPatterns[e.Provider] + `)$`).MatchString(e.Src) {
		t.Errorf("EmbedOf(%q).Src = %q: not what the sanitizer lets through", in, e.Src)
	}
	for _, s := range []string{e.URL, e.Src} {
		if strings.ContainsAny(s, "\"'<>`\\ \t\r\n") || !strings.HasPrefix(s, "https://") {
			t.Errorf("EmbedOf(%q): %q is not a clean https address", in, s)
		}
		u, err := url.Parse(s)
		if err != nil || u.User != nil || u.Port() != "" {
			t.Errorf("EmbedOf(%q): %q does not parse as a plain address", in, s)
		}
	}
	u, _ := url.Parse(e.URL)
	if parse, ok := embedHosts[u.Hostname()]; !ok {
		t.Errorf("EmbedOf(%q).URL = %q: not on %s's hosts", in, e.URL, e.Name)
	} else if again, ok := EmbedOf(e.URL); !ok || again.Src != e.Src || again.URL != e.URL {
		// The canonical address is itself an embed of the same thing.
		t.Errorf("EmbedOf(%q).URL = %q, which reads back as %+v, %v", in, e.URL, again, ok)
		_ = parse
	}
	if !regexp.MustCompile(`^(?:`+embedRatios+`)$`).MatchString(e.Ratio) || e.Kind == "" || e.Name != p.Name {
		t.Errorf("EmbedOf(%q) = %+v: ratio, kind or name missing", in, e)
	}
}

func TestEmbedOfRefuses(t *testing.T) {
	for _, in := range []string{
		// Unknown and lookalike hosts.
		"https://example.com/watch?v=dQw4w9WgXcQ",
		"https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
		"https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
		"https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
		"https://www.youtube.com./watch?v=dQw4w9WgXcQ",
		"https://xn--youtub-cva.com/watch?v=dQw4w9WgXcQ",
		"https://www.yоutube.com/watch?v=dQw4w9WgXcQ", // Cyrillic о
		"https://vm.tiktok.com/ZMabcdef/",
		"https://maps.app.goo.gl/abcdef",
		"https://www.google.de/maps/@48.8584,2.2945,17z",
		"https://www.google.com/search?q=x",

		// Other schemes and shapes.
		"javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
		"ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
		"//www.youtube.com/watch?v=dQw4w9WgXcQ",
		"www.youtube.com/watch?v=dQw4w9WgXcQ",
		"data:text/html,<script>alert(1)</script>",
		"",

		// Ids that do not fit.
		"https://www.youtube.com/watch?v=dQw4w9WgXc",
		"https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
		"https://www.youtube.com/watch?v=dQw4w9WgX%22",
		`https://www.youtube.com/watch?v="onload="x`,
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onerror=alert(1)",
		"https://www.youtube.com/embed/dQw4w9WgXcQ/extra",
		"https://www.youtube.com/playlist?list=PL123",
		"https://www.youtube.com/@channel",
		"https://youtu.be/",
		"https://vimeo.com/notanumber",
		"https://vimeo.com/123/ZZZZZZ",
		"https://x.com/NASA",
		"https://x.com/NASA/status/12a",
		"https://x.com/this_name_is_too_long/status/1",
		"https://www.instagram.com/natgeo/",
		"https://www.instagram.com/p/a%22b/",
		"https://www.facebook.com/nasa",
		"https://www.facebook.com/nasa/posts/",
		"https://www.facebook.com/na%2Fsa/posts/1",
		"https://www.facebook.com/watch/?v=abc",
		"https://www.tiktok.com/@user/video/abc",
		"https://www.tiktok.com/@user",
		"https://soundcloud.com/forss",
		"https://soundcloud.com/discover/sets/x",
		"https://soundcloud.com/For%20ss/track",
		"https://open.spotify.com/track/short",
		"https://open.spotify.com/user/4uLU6hMCjMI75M1A2tKUQC",
		"https://datawrapper.dwcdn.net/Ab3d/",
		"https://datawrapper.dwcdn.net/Ab3dE/2/extra/",
		"https://public.flourish.studio/visualisation/abc/",
		"https://public.flourish.studio/other/123/",

		// Maps out of range or malformed.
		"https://www.openstreetmap.org/#map=12/95/13.4",
		"https://www.openstreetmap.org/#map=30/52.5/13.4",
		"https://www.openstreetmap.org/#map=12/52.5/NaN",
		"https://www.openstreetmap.org/#map=12/52.5/Inf",
		"https://www.openstreetmap.org/#map=12/52.5",
		"https://www.openstreetmap.org/export/embed.html?bbox=13.5,52.4,13.3,52.6",
		"https://www.openstreetmap.org/export/embed.html?bbox=1,2,3",
		"https://www.openstreetmap.org/?mlat=x&mlon=1#map=12/52.5/13.4",
		"https://www.openstreetmap.org/node/123",
		"https://www.google.com/maps/@48.8584,2.2945",
		"https://www.google.com/maps/@148.8584,2.2945,17z",
		"https://www.google.com/maps/embed?pb=\"><script>",
		"https://www.google.com/maps/embed?pb=%22%3E%3Cscript%3E",
		"https://www.google.com/maps?q=%0Aline",
		"https://www.google.com/maps?q=%E2%80%AEevil",
		"https://www.google.com/maps?q=" + strings.Repeat("a", 300),
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=" + strings.Repeat("a", maxEmbedURL),
	} {
		if e, ok := EmbedOf(in); ok {
			t.Errorf("EmbedOf(%q) = %+v, want no embed", in, e)
		}
	}
}

func TestEmbedProviders(t *testing.T) {
	origins := EmbedFrameOrigins()
	if len(origins) != len(providers) {
		t.Errorf("%d origins for %d providers: %q", len(origins), len(providers), origins)
	}
	for _, p := range EmbedProviders() {
		if _, ok := embedSrcPatterns[p.ID]; !ok {
			t.Errorf("provider %s has no address pattern", p.ID)
		}
		if !strings.HasPrefix(p.Prefix, "https://") || p.Name == "" || p.Sandbox == "" || p.Referrer == "" {
			t.Errorf("provider %+v: incomplete", p)
		}
		if !slices.Contains(origins, p.Origin()) || !strings.HasPrefix(p.Prefix, p.Origin()+"/") {
			t.Errorf("provider %s: origin %q not among %q", p.ID, p.Origin(), origins)
		}
		// Never the sandbox flags that would let a player act as the page
		// or take the reader away from it.
		for _, bad := range []string{"allow-top-navigation", "allow-forms", "allow-modals", "allow-downloads", "allow-storage-access-by-user-activation"} {
			if strings.Contains(p.Sandbox, bad) {
				t.Errorf("provider %s: sandbox has %s", p.ID, bad)
			}
		}
	}
	if len(embedSrcPatterns) != len(providers) {
		t.Errorf("%d address patterns for %d providers", len(embedSrcPatterns), len(providers))
	}
}

func TestRenderEmbed(t *testing.T) {
	card := func(class, provider, src, label, href, load string) string {
		return `<figure class="embed embed-` + class + `" data-embed="` + provider + `" data-embed-src="` + html.EscapeString(src) + "\">\n" +
			"<figcaption>" + label + `: <a href="` + html.EscapeString(href) + `" rel="noopener noreferrer">` + html.EscapeString(href) + "</a></figcaption>\n" +
			`<button type="button" class="embed-load" hidden="">` + load + "</button></figure>\n"
	}
	yt := card("16x9", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "Video on YouTube",
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Load the video from YouTube")
	tests := []struct{ name, in, want string }{
		{"bare URL", "https://youtu.be/dQw4w9WgXcQ", yt},
		{"autolink", "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>", yt},
		{"with spaces around", "   https://youtu.be/dQw4w9WgXcQ  ", yt},
		{"between paragraphs", "Before.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nAfter.", "<p>Before.</p>\n" + yt + "<p>After.</p>\n"},
		{"map", "https://www.openstreetmap.org/#map=12/52.5200/13.4050",
			card("4x3", "openstreetmap", "https://www.openstreetmap.org/export/embed.html?bbox=13.281404,52.463595,13.528596,52.576405&layer=mapnik",
				"Map on OpenStreetMap", "https://www.openstreetmap.org/#map=12/52.52/13.405", "Load the map from OpenStreetMap")},
		{"post on X", "https://twitter.com/NASA/status/123?s=20",
			card("post", "x", "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=123",
				"Post on X", "https://x.com/NASA/status/123", "Load the post from X")},

		// Not embeds: a URL with words, in a list or a quote, two URLs,
		// a link with a text, a URL over two lines, an unknown site.
		{"URL in a sentence", "Watch https://youtu.be/dQw4w9WgXcQ now", "<p>Watch https://youtu.be/dQw4w9WgXcQ now</p>\n"},
		{"in a list", "- https://youtu.be/dQw4w9WgXcQ", "<ul>\n<li>https://youtu.be/dQw4w9WgXcQ</li>\n</ul>\n"},
		{"in a quote", "> https://youtu.be/dQw4w9WgXcQ", "<blockquote>\n<p>https://youtu.be/dQw4w9WgXcQ</p>\n</blockquote>\n"},
		{"two URLs", "https://youtu.be/dQw4w9WgXcQ https://youtu.be/dQw4w9WgXcQ",
			"<p>https://youtu.be/dQw4w9WgXcQ https://youtu.be/dQw4w9WgXcQ</p>\n"},
		{"two lines", "https://youtu.be/dQw4w9WgXcQ\nhttps://youtu.be/dQw4w9WgXcQ",
			"<p>https://youtu.be/dQw4w9WgXcQ\nhttps://youtu.be/dQw4w9WgXcQ</p>\n"},
		{"link with text", "[the video](https://youtu.be/dQw4w9WgXcQ)",
			`<p><a href="https://youtu.be/dQw4w9WgXcQ" rel="noopener noreferrer">the video</a></p>` + "\n"},
		{"unknown site, bare", "https://example.com/watch?v=dQw4w9WgXcQ", "<p>https://example.com/watch?v=dQw4w9WgXcQ</p>\n"},
		{"unknown site, autolink", "<https://example.com/x>",
			`<p><a href="https://example.com/x" rel="noopener noreferrer">https://example.com/x</a></p>` + "\n"},
		{"heading", "## https://youtu.be/dQw4w9WgXcQ", "<h2>https://youtu.be/dQw4w9WgXcQ</h2>\n"},

		// Hostile: whatever is around the id stays out of the card.
		{"quote in the id", `https://www.youtube.com/watch?v=dQw4w9WgXcQ"onerror="alert(1)`,
			"<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ&#34;onerror=“alert(1)</p>\n"},
		{"script after the id", "<https://www.youtube.com/watch?v=dQw4w9WgXcQ&x=<script>alert(1)</script>>",
			"<p>&lt;https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;x=alert(1)&gt;</p>\n"},
		{"parameters after the id are dropped", "https://www.youtube.com/watch?v=dQw4w9WgXcQ&autoplay=1&x=%22%3E%3Cscript%3E", yt},
	}
	for _, tt := range tests {
		got, err := Render(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s: Render(%q)\ngot  %q\nwant %q", tt.name, tt.in, got, tt.want)
		}
		if p := problems(got); p != nil {
			t.Errorf("%s: Render(%q) = %q: %v", tt.name, tt.in, got, p)
		}
	}
}

// TestPolicyEmbed checks that the sanitizer lets through the card Render
// writes and nothing else of its kind: a hand-made card with another
// player, attribute or element loses it.
func TestPolicyEmbed(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<figure class="embed embed-16x9" data-embed="youtube" data-embed-src="https://evil.example/embed/dQw4w9WgXcQ"></figure>`,
			`<figure class="embed embed-16x9" data-embed="youtube"></figure>`},
		{`<figure class="embed embed-16x9" data-embed="youtube" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"></figure>`,
			`<figure class="embed embed-16x9" data-embed="youtube"></figure>`},
		{`<figure class="embed embed-16x9" data-embed="evil" data-embed-src="javascript:alert(1)" data-other="x" style="x"></figure>`,
			`<figure class="embed embed-16x9"></figure>`},
		{`<figure class="embed big"><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe></figure>`,
			`<figure></figure>`},
		{`<button type="submit" class="embed-load" hidden="" onclick="alert(1)" formaction="/x">x</button>`,
			`<button class="embed-load" hidden="">x</button>`},
		{`<img src="/a.jpg" srcset="https://evil.example/a.jpg 320w" sizes="x;y" width="-1" height="10">`,
			`<img src="/a.jpg" height="10">`},
		{`<img src="/a.jpg" srcset="/a-320.jpg 320w, //evil.example/a.jpg 640w">`, `<img src="/a.jpg">`},
		{`<img src="/a.jpg" srcset="/a-320.jpg 320w, /a-640.jpg 640w">`, `<img src="/a.jpg" srcset="/a-320.jpg 320w, /a-640.jpg 640w">`},
	}
	for _, tt := range tests {
		if got := policy().Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q)\ngot  %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestEmbedText(t *testing.T) {
	body := "Before.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nAfter."
	want := "Before. Video on YouTube: https://www.youtube.com/watch?v=dQw4w9WgXcQ After."
	if got := Text(body); got != want {
		t.Errorf("Text(%q) = %q, want %q", body, got, want)
	}
}

func TestEmbedsAsLinks(t *testing.T) {
	html, err := Render("Before.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nMiddle.\n\nhttps://x.com/NASA/status/123\n\nAfter.")
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>Before.</p>\n" +
		`<p>Video on YouTube: <a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></p>` + "\n" +
		"<p>Middle.</p>\n" +
		`<p>Post on X: <a href="https://x.com/NASA/status/123" rel="noopener noreferrer">https://x.com/NASA/status/123</a></p>` + "\n" +
		"<p>After.</p>\n"
	if got := EmbedsAsLinks(html); got != want {
		t.Errorf("EmbedsAsLinks\ngot  %q\nwant %q", got, want)
	}
	plain := "<p>No embed here.</p>\n<figure><img src=\"/a.jpg\" alt=\"\" loading=\"lazy\"></figure>\n"
	if got := EmbedsAsLinks(plain); got != plain {
		t.Errorf("EmbedsAsLinks changed a body without embeds: %q", got)
	}
}

// FuzzEmbedOf checks EmbedOf on any address: what it accepts is a clean
// embed the sanitizer keeps whole, and a paragraph of any address renders
// to a safe page.
func FuzzEmbedOf(f *testing.F) {
	for _, s := range []string{
		"https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90",
		"https://youtu.be/dQw4w9WgXcQ",
		"https://vimeo.com/76979871/a1b2c3d4e5",
		"https://x.com/NASA/status/123",
		"https://www.instagram.com/p/C1a2B3c4D5e/",
		"https://www.facebook.com/nasa/posts/pfbid02abcDEF123ghi",
		"https://www.tiktok.com/@scout2015/video/6718335390845095173",
		"https://soundcloud.com/forss/sets/soulhack",
		"https://open.spotify.com/intl-de/album/4uLU6hMCjMI75M1A2tKUQC",
		"https://datawrapper.dwcdn.net/Ab3dE/2/",
		"https://flo.uri.sh/story/98765/embed",
		"https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=16/52.52/13.405",
		"https://www.openstreetmap.org/export/embed.html?bbox=13.3,52.4,13.5,52.6&marker=52.5,13.4",
		"https://www.google.com/maps/place/Eiffel+Tower/@48.8584,2.2945,17z",
		"https://maps.google.com/?q=Caf%C3%A9+%22de%22+Flore&z=15",
		"https://www.google.com/maps/embed?pb=!1m18!1m12",
		`https://www.youtube.com/watch?v=dQw4w9WgXcQ"onerror="alert(1)`,
		"https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if e, ok := EmbedOf(in); ok {
			checkEmbed(t, in, e)
		}
		for _, body := range []string{in, "<" + in + ">"} {
			out, err := Render(body)
			if err != nil {
				t.Fatalf("Render(%q): %v", body, err)
			}
			if p := problems(out); p != nil {
				t.Errorf("Render(%q) = %q: %v", body, out, p)
			}
			raw, err := renderHTML([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if p := problems(string(raw)); p != nil {
				t.Errorf("renderHTML(%q) = %q: %v", body, raw, p)
			}
			// A card the renderer wrote is one the sanitizer keeps
			// whole: the policy and EmbedOf agree.
			if strings.Contains(string(raw), `<figure class="embed`) && string(raw) != out {
				t.Errorf("Render(%q): the sanitizer changed the card\nraw  %q\nout  %q", body, raw, out)
			}
		}
	})
}
