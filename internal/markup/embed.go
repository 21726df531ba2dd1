package markup

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Embed is a post, video, audio, chart or map of another site that a story
// shows as an embed block: in the Markdown, a paragraph holding nothing but
// its URL (bare, or as an autolink <https://...>).
//
// Every field is built by EmbedOf from the parts it matched, never copied
// from the URL it was given: an id is only ever characters its pattern
// allows, and a value carried over as text (a Facebook or SoundCloud
// address, a place's name) is percent-encoded.
type Embed struct {
	Provider string // the provider's id: "youtube", "x", "openstreetmap"... (see EmbedProviders)
	Name     string // the provider's name as readers know it: "YouTube", "X", "OpenStreetMap"
	Kind     string // what it is, in a word: "video", "post", "map", "chart", "track"...
	URL      string // the canonical address of the thing on the provider's site, for the link
	Src      string // the address of the provider's player, for the iframe
	// Ratio is the frame's shape: "16x9", "9x16", "4x3", "1x1", or for
	// frames of a fixed height, "post", "audio" or "list".
	Ratio string
}

// Label names the embed for the reader: "Video on YouTube", "Post on X",
// "Map on OpenStreetMap".
func (e Embed) Label() string {
	return strings.ToUpper(e.Kind[:1]) + e.Kind[1:] + " on " + e.Name
}

// LoadText is the text of the button that loads the embed: "Load the video
// from YouTube". It says where it comes from, since pressing it is what
// lets that site see the reader.
func (e Embed) LoadText() string {
	return "Load the " + e.Kind + " from " + e.Name
}

// EmbedProvider is what a page needs to know of one provider to load its
// player: the CSP's frame-src and the page's script (web/static/embed.js,
// which holds the same table; a test in internal/site compares them).
type EmbedProvider struct {
	ID   string `json:"-"`
	Name string `json:"name"`
	// Prefix starts every Src of the provider: its player's origin and
	// the path under which its players live.
	Prefix string `json:"prefix"`
	// Sandbox is the iframe's sandbox: what the player needs to work, and
	// nothing more (no forms, no top navigation, no downloads).
	Sandbox string `json:"sandbox"`
	// Allow is the iframe's permissions policy.
	Allow string `json:"allow"`
	// Referrer is the iframe's referrerpolicy: "strict-origin" for the
	// players that refuse to play without knowing the embedding site (the
	// origin only, never the page), "no-referrer" for the others.
	Referrer string `json:"referrer"`
}

// Origin is the provider's player origin, "https://player.vimeo.com".
func (p EmbedProvider) Origin() string {
	u, _ := url.Parse(p.Prefix)
	return u.Scheme + "://" + u.Host
}

// The sandboxes and permissions. Scripts run in every player, and the
// players keep settings and sessions in their own storage (allow-same-origin
// is their own origin, not the page's: the frame is cross-origin); links in
// them open in a new tab (allow-popups) that is not itself sandboxed
// (allow-popups-to-escape-sandbox, or the provider's own page would not
// work there). Video players may also present to a second screen.
const (
	sandboxPlayer = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
	sandboxVideo  = sandboxPlayer + " allow-presentation"
	allowVideo    = "encrypted-media; fullscreen; picture-in-picture"
	allowAudio    = "encrypted-media"
	allowView     = "fullscreen"
)

// providers is every provider, in the order of EmbedProviders.
var providers = []EmbedProvider{
	{"youtube", "YouTube", "https://www.youtube-nocookie.com/embed/", sandboxVideo, allowVideo, "strict-origin"},
	{"vimeo", "Vimeo", "https://player.vimeo.com/video/", sandboxVideo, allowVideo, "strict-origin"},
	{"x", "X", "https://platform.twitter.com/embed/", sandboxPlayer, allowView, "no-referrer"},
	{"instagram", "Instagram", "https://www.instagram.com/", sandboxPlayer, allowVideo, "no-referrer"},
	{"facebook", "Facebook", "https://www.facebook.com/plugins/", sandboxPlayer, allowVideo, "no-referrer"},
	{"tiktok", "TikTok", "https://www.tiktok.com/embed/", sandboxVideo, allowVideo, "no-referrer"},
	{"soundcloud", "SoundCloud", "https://w.soundcloud.com/player/", sandboxPlayer, allowAudio, "no-referrer"},
	{"spotify", "Spotify", "https://open.spotify.com/embed/", sandboxPlayer, allowAudio, "no-referrer"},
	{"datawrapper", "Datawrapper", "https://datawrapper.dwcdn.net/", sandboxPlayer, allowView, "no-referrer"},
	{"flourish", "Flourish", "https://flo.uri.sh/", sandboxPlayer, allowView, "no-referrer"},
	{"openstreetmap", "OpenStreetMap", "https://www.openstreetmap.org/export/embed.html", sandboxPlayer, allowView, "no-referrer"},
	{"googlemaps", "Google Maps", "https://www.google.com/maps", sandboxPlayer, allowView, "no-referrer"},
}

// EmbedProviders returns the providers whose URLs EmbedOf knows.
func EmbedProviders() []EmbedProvider {
	return append([]EmbedProvider(nil), providers...)
}

// EmbedFrameOrigins returns the origins of every provider's player, once
// each: all that a page's Content-Security-Policy frame-src must allow.
func EmbedFrameOrigins() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range providers {
		if o := p.Origin(); !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}

func providerNamed(id string) EmbedProvider {
	for _, p := range providers {
		if p.ID == id {
			return p
		}
	}
	panic("markup: no embed provider " + id)
}

// maxEmbedURL is the longest URL EmbedOf reads; a map's or a post's address
// is a few hundred characters at most.
const maxEmbedURL = 2048

// EmbedOf returns the embed of a URL of a known provider (see
// EmbedProviders), and false for any other URL, which stays a link.
//
// It parses strictly: http or https; a host on the provider's own list,
// exactly, with no user name and no port but the scheme's; ids that match
// the provider's patterns; numbers in their ranges. Whatever does not fit
// is not an embed.
func EmbedOf(rawURL string) (Embed, bool) {
	if len(rawURL) > maxEmbedURL {
		return Embed{}, false
	}
	for i := 0; i < len(rawURL); i++ {
		// Printable ASCII only: what a browser would silently drop or
		// fold (tabs, new lines, spaces, other scripts' letters) has no
		// place in an address this package rebuilds, nor have the
		// characters an address must percent-encode (RFC 3986).
		if c := rawURL[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0 {
			return Embed{}, false
		}
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Opaque != "" || u.User != nil {
		return Embed{}, false
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		if p := u.Port(); p != "" && p != "443" {
			return Embed{}, false
		}
	case "http":
		if p := u.Port(); p != "" && p != "80" {
			return Embed{}, false
		}
	default:
		return Embed{}, false
	}
	host := strings.ToLower(u.Hostname())
	parse, ok := embedHosts[host]
	if !ok {
		return Embed{}, false
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Embed{}, false
	}
	e, ok := parse(host, splitPath(u.EscapedPath()), q, u.EscapedFragment())
	if !ok {
		return Embed{}, false
	}
	p := providerNamed(e.Provider)
	e.Name = p.Name
	if !strings.HasPrefix(e.Src, p.Prefix) {
		// A parser's mistake; never shown.
		return Embed{}, false
	}
	return e, true
}

// splitPath splits an escaped path into its segments, without empty ones
// (a trailing or doubled slash). Segments stay escaped: each is matched
// against a pattern that allows no "%" unless it says so.
func splitPath(p string) []string {
	var out []string
	for s := range strings.SplitSeq(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// embedParser reads one provider's URL, given its lower-case host, path
// segments, query and escaped fragment.
type embedParser func(host string, path []string, q url.Values, fragment string) (Embed, bool)

var embedHosts = map[string]embedParser{}

func init() {
	add := func(p embedParser, hosts ...string) {
		for _, h := range hosts {
			embedHosts[h] = p
		}
	}
	add(youtube, "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
		"youtu.be", "youtube-nocookie.com", "www.youtube-nocookie.com")
	add(vimeo, "vimeo.com", "www.vimeo.com", "player.vimeo.com")
	add(twitter, "x.com", "www.x.com", "mobile.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com")
	add(instagram, "instagram.com", "www.instagram.com")
	add(facebook, "facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com")
	add(tiktok, "tiktok.com", "www.tiktok.com", "m.tiktok.com")
	add(soundcloud, "soundcloud.com", "www.soundcloud.com", "m.soundcloud.com")
	add(spotify, "open.spotify.com")
	add(datawrapper, "datawrapper.dwcdn.net", "www.datawrapper.de", "datawrapper.de")
	add(flourish, "public.flourish.studio", "flo.uri.sh")
	add(openStreetMap, "openstreetmap.org", "www.openstreetmap.org", "osm.org")
	add(googleMaps, "google.com", "www.google.com", "maps.google.com")
}

var (
	youtubeID     = regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	digitsID      = regexp.MustCompile(`^[0-9]{1,20}$`)
	vimeoHash     = regexp.MustCompile(`^[0-9a-f]{6,32}$`)
	twitterUser   = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)
	instagramCode = regexp.MustCompile(`^[A-Za-z0-9_-]{5,64}$`)
	facebookPage  = regexp.MustCompile(`^[A-Za-z0-9.-]{1,100}$`)
	facebookID    = regexp.MustCompile(`^(?:[0-9]{1,25}|pfbid[A-Za-z0-9]{10,100})$`)
	tiktokUser    = regexp.MustCompile(`^@[A-Za-z0-9_.]{1,32}$`)
	soundName     = regexp.MustCompile(`^[a-z0-9_-]{1,100}$`)
	spotifyID     = regexp.MustCompile(`^[A-Za-z0-9]{22}$`)
	spotifyIntl   = regexp.MustCompile(`^intl-[a-z]{2}(?:-[A-Za-z]{2})?$`)
	datawrapperID = regexp.MustCompile(`^[A-Za-z0-9]{5}$`)
	shortNumber   = regexp.MustCompile(`^[0-9]{1,4}$`)
	flourishID    = regexp.MustCompile(`^[0-9]{1,12}$`)
	mapsPB        = regexp.MustCompile(`^[A-Za-z0-9!._:+-]+$`)
	youtubeTime   = regexp.MustCompile(`^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?(?:([0-9]{1,6})s?)?$`)
)

func youtube(host string, path []string, q url.Values, _ string) (Embed, bool) {
	var id string
	shorts := false
	switch {
	case host == "youtu.be" && len(path) == 1:
		id = path[0]
	case len(path) == 1 && path[0] == "watch":
		id = q.Get("v")
	case len(path) == 2 && (path[0] == "embed" || path[0] == "live" || path[0] == "v"):
		id = path[1]
	case len(path) == 2 && path[0] == "shorts":
		id, shorts = path[1], true
	}
	if !youtubeID.MatchString(id) {
		return Embed{}, false
	}
	e := Embed{Provider: "youtube", Kind: "video", Ratio: "16x9",
		URL: "https://www.youtube.com/watch?v=" + id,
		Src: "https://www.youtube-nocookie.com/embed/" + id}
	if shorts {
		e.URL, e.Ratio = "https://www.youtube.com/shorts/"+id, "9x16"
		return e, true
	}
	t := q.Get("t")
	if t == "" {
		t = q.Get("start")
	}
	if s, ok := youtubeStart(t); ok && s > 0 {
		e.URL += "&t=" + strconv.Itoa(s) + "s"
		e.Src += "?start=" + strconv.Itoa(s)
	}
	return e, true
}

// youtubeStart reads a start time: "90", "90s", "1m30s", "1h2m3s".
func youtubeStart(t string) (int, bool) {
	m := youtubeTime.FindStringSubmatch(t)
	if t == "" || m == nil {
		return 0, false
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	s := n(m[1])*3600 + n(m[2])*60 + n(m[3])
	return s, s <= 24*3600
}

func vimeo(host string, path []string, q url.Values, _ string) (Embed, bool) {
	var id, hash string
	switch {
	case host == "player.vimeo.com":
		if len(path) != 2 || path[0] != "video" {
			return Embed{}, false
		}
		id, hash = path[1], q.Get("h")
	case len(path) == 1 || len(path) == 2 && vimeoHash.MatchString(path[1]) && !digitsID.MatchString(path[1]):
		id = path[0]
		if len(path) == 2 {
			hash = path[1]
		}
	case len(path) == 3 && path[0] == "channels":
		id = path[2]
	case len(path) == 4 && (path[0] == "groups" || path[0] == "showcase") && (path[2] == "videos" || path[2] == "video"):
		id = path[3]
	}
	if !digitsID.MatchString(id) || len(id) > 12 || hash != "" && !vimeoHash.MatchString(hash) {
		return Embed{}, false
	}
	e := Embed{Provider: "vimeo", Kind: "video", Ratio: "16x9",
		URL: "https://vimeo.com/" + id,
		Src: "https://player.vimeo.com/video/" + id + "?dnt=1"}
	if hash != "" {
		e.URL += "/" + hash
		e.Src += "&h=" + hash
	}
	return e, true
}

func twitter(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	// /user/status/123, and /user/status/123/photo/1 and the like;
	// /i/web/status/123, /i/status/123.
	var user, id string
	switch {
	case len(path) >= 3 && path[0] != "i" && path[1] == "status":
		user, id = path[0], path[2]
		if !twitterUser.MatchString(user) {
			return Embed{}, false
		}
	case len(path) == 4 && path[0] == "i" && path[1] == "web" && path[2] == "status":
		id = path[3]
	case len(path) == 3 && path[0] == "i" && path[1] == "status":
		id = path[2]
	}
	if !digitsID.MatchString(id) {
		return Embed{}, false
	}
	e := Embed{Provider: "x", Kind: "post", Ratio: "post",
		URL: "https://x.com/i/web/status/" + id,
		Src: "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=" + id}
	if user != "" {
		e.URL = "https://x.com/" + user + "/status/" + id
	}
	return e, true
}

func instagram(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	// /p/CODE/, /reel/CODE/, /reels/CODE/, /tv/CODE/, and the same
	// under a user's name: /user/p/CODE/; then perhaps /embed/.
	if len(path) >= 3 && path[0] != "p" && path[0] != "reel" && path[0] != "reels" && path[0] != "tv" {
		path = path[1:]
	}
	if len(path) == 3 && (path[2] == "embed" || path[2] == "captioned") {
		path = path[:2]
	}
	if len(path) != 2 || !instagramCode.MatchString(path[1]) {
		return Embed{}, false
	}
	code := path[1]
	switch path[0] {
	case "p", "tv":
		return Embed{Provider: "instagram", Kind: "post", Ratio: "post",
			URL: "https://www.instagram.com/p/" + code + "/",
			Src: "https://www.instagram.com/p/" + code + "/embed/"}, true
	case "reel", "reels":
		return Embed{Provider: "instagram", Kind: "reel", Ratio: "post",
			URL: "https://www.instagram.com/reel/" + code + "/",
			Src: "https://www.instagram.com/reel/" + code + "/embed/"}, true
	}
	return Embed{}, false
}

func facebook(_ string, path []string, q url.Values, _ string) (Embed, bool) {
	var canonical, kind string
	switch {
	case len(path) == 3 && (path[1] == "posts" || path[1] == "videos") && facebookPage.MatchString(path[0]) && facebookID.MatchString(path[2]):
		canonical = "https://www.facebook.com/" + path[0] + "/" + path[1] + "/" + path[2]
		kind = map[string]string{"posts": "post", "videos": "video"}[path[1]]
	case len(path) == 1 && path[0] == "watch" && digitsID.MatchString(q.Get("v")):
		canonical, kind = "https://www.facebook.com/watch/?v="+q.Get("v"), "video"
	case len(path) == 2 && path[0] == "reel" && digitsID.MatchString(path[1]):
		canonical, kind = "https://www.facebook.com/reel/"+path[1], "video"
	case len(path) == 1 && path[0] == "permalink.php" && facebookID.MatchString(q.Get("story_fbid")) && digitsID.MatchString(q.Get("id")):
		canonical = "https://www.facebook.com/permalink.php?story_fbid=" + q.Get("story_fbid") + "&id=" + q.Get("id")
		kind = "post"
	default:
		return Embed{}, false
	}
	e := Embed{Provider: "facebook", Kind: kind, URL: canonical}
	if kind == "video" {
		e.Ratio = "16x9"
		e.Src = "https://www.facebook.com/plugins/video.php?show_text=false&href=" + url.QueryEscape(canonical)
	} else {
		e.Ratio = "post"
		e.Src = "https://www.facebook.com/plugins/post.php?show_text=true&href=" + url.QueryEscape(canonical)
	}
	return e, true
}

func tiktok(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	var user, id string
	switch {
	case len(path) == 3 && path[1] == "video" && tiktokUser.MatchString(path[0]):
		user, id = path[0], path[2]
	case len(path) == 3 && path[0] == "embed" && path[1] == "v2",
		len(path) == 3 && path[0] == "player" && path[1] == "v1":
		id = path[2]
	case len(path) == 2 && path[0] == "embed":
		id = path[1]
	}
	if !digitsID.MatchString(id) {
		return Embed{}, false
	}
	e := Embed{Provider: "tiktok", Kind: "video", Ratio: "9x16",
		URL: "https://www.tiktok.com/embed/v2/" + id,
		Src: "https://www.tiktok.com/embed/v2/" + id}
	if user != "" {
		e.URL = "https://www.tiktok.com/" + user + "/video/" + id
	}
	return e, true
}

// soundCloudPages are SoundCloud's own pages, whose addresses look like a
// user's track.
var soundCloudPages = map[string]bool{
	"discover": true, "search": true, "stream": true, "upload": true, "you": true, "charts": true,
	"pages": true, "settings": true, "messages": true, "notifications": true, "people": true,
	"tags": true, "terms-of-use": true, "jobs": true, "mobile": true, "signin": true, "pro": true,
}

func soundcloud(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	var canonical, kind, ratio string
	switch {
	case len(path) == 2 && path[1] != "sets" && path[1] != "tracks" && path[1] != "albums":
		canonical, kind, ratio = "https://soundcloud.com/"+path[0]+"/"+path[1], "track", "audio"
	case len(path) == 3 && path[1] == "sets":
		canonical, kind, ratio = "https://soundcloud.com/"+path[0]+"/sets/"+path[2], "playlist", "list"
	default:
		return Embed{}, false
	}
	if soundCloudPages[path[0]] || !soundName.MatchString(path[0]) || !soundName.MatchString(path[len(path)-1]) {
		return Embed{}, false
	}
	return Embed{Provider: "soundcloud", Kind: kind, Ratio: ratio, URL: canonical,
		Src: "https://w.soundcloud.com/player/?visual=false&show_comments=false&url=" + url.QueryEscape(canonical)}, true
}

// spotifyKinds are the things Spotify embeds, with the word for each.
var spotifyKinds = map[string]string{
	"track": "track", "album": "album", "playlist": "playlist", "artist": "artist",
	"episode": "episode", "show": "podcast",
}

func spotify(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	if len(path) > 0 && (spotifyIntl.MatchString(path[0]) || path[0] == "embed") {
		path = path[1:]
	}
	if len(path) != 2 || !spotifyID.MatchString(path[1]) {
		return Embed{}, false
	}
	kind, ok := spotifyKinds[path[0]]
	if !ok {
		return Embed{}, false
	}
	ratio := "list"
	if path[0] == "track" || path[0] == "episode" {
		ratio = "audio"
	}
	return Embed{Provider: "spotify", Kind: kind, Ratio: ratio,
		URL: "https://open.spotify.com/" + path[0] + "/" + path[1],
		Src: "https://open.spotify.com/embed/" + path[0] + "/" + path[1]}, true
}

func datawrapper(host string, path []string, _ url.Values, _ string) (Embed, bool) {
	if host != "datawrapper.dwcdn.net" {
		// www.datawrapper.de/_/ID/: the chart's public page.
		if len(path) != 2 || path[0] != "_" {
			return Embed{}, false
		}
		path = path[1:]
	}
	if len(path) == 0 || len(path) > 2 || !datawrapperID.MatchString(path[0]) {
		return Embed{}, false
	}
	u := "https://datawrapper.dwcdn.net/" + path[0] + "/"
	if len(path) == 2 {
		if !shortNumber.MatchString(path[1]) {
			return Embed{}, false
		}
		u += path[1] + "/"
	}
	return Embed{Provider: "datawrapper", Kind: "chart", Ratio: "4x3", URL: u, Src: u}, true
}

func flourish(_ string, path []string, _ url.Values, _ string) (Embed, bool) {
	if len(path) == 3 && path[2] == "embed" {
		path = path[:2]
	}
	if len(path) != 2 || !flourishID.MatchString(path[1]) {
		return Embed{}, false
	}
	kind := map[string]string{"visualisation": "chart", "story": "story"}[path[0]]
	if kind == "" {
		return Embed{}, false
	}
	return Embed{Provider: "flourish", Kind: kind, Ratio: "4x3",
		URL: "https://public.flourish.studio/" + path[0] + "/" + path[1] + "/",
		Src: "https://flo.uri.sh/" + path[0] + "/" + path[1] + "/embed"}, true
}

// A map's place: a point or a box, in degrees, and a zoom level.
type place struct {
	lat, lon    float64
	zoom        int
	marker      bool
	west, south float64
	east, north float64
	box         bool
}

// coord reads a latitude or longitude within ±limit.
func coord(s string, limit float64) (float64, bool) {
	if s == "" || len(s) > 20 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < -limit || f > limit {
		return 0, false
	}
	return f, true
}

func zoomLevel(s string) (int, bool) {
	z, err := strconv.Atoi(s)
	return z, err == nil && len(s) <= 2 && z >= 0 && z <= 21
}

// deg writes a coordinate with six decimals (some 10 cm), without trailing
// zeros.
func deg(f float64) string {
	s := strconv.FormatFloat(f, 'f', 6, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

func openStreetMap(_ string, path []string, q url.Values, fragment string) (Embed, bool) {
	var p place
	switch {
	case len(path) == 0 && q.Has("minlon"):
		// /?minlon=&minlat=&maxlon=&maxlat=, the form of the links
		// EmbedOf writes for a box.
		var ok [4]bool
		p.west, ok[0] = coord(q.Get("minlon"), 180)
		p.south, ok[1] = coord(q.Get("minlat"), 85)
		p.east, ok[2] = coord(q.Get("maxlon"), 180)
		p.north, ok[3] = coord(q.Get("maxlat"), 85)
		if !ok[0] || !ok[1] || !ok[2] || !ok[3] || p.west >= p.east || p.south >= p.north {
			return Embed{}, false
		}
		p.box = true
		if q.Has("mlat") || q.Has("mlon") {
			var okA, okB bool
			p.lat, okA = coord(q.Get("mlat"), 85)
			p.lon, okB = coord(q.Get("mlon"), 180)
			if !okA || !okB {
				return Embed{}, false
			}
			p.marker = true
		}
	case len(path) == 0:
		// /#map=Z/LAT/LON, with ?mlat=&mlon= for a marker.
		f, ok := strings.CutPrefix(fragment, "map=")
		if !ok {
			return Embed{}, false
		}
		if i := strings.IndexByte(f, '&'); i >= 0 {
			f = f[:i] // "&layers=..."
		}
		parts := strings.Split(f, "/")
		if len(parts) != 3 {
			return Embed{}, false
		}
		var ok1, ok2, ok3 bool
		p.zoom, ok1 = zoomLevel(parts[0])
		p.lat, ok2 = coord(parts[1], 85)
		p.lon, ok3 = coord(parts[2], 180)
		if !ok1 || !ok2 || !ok3 {
			return Embed{}, false
		}
		if q.Has("mlat") || q.Has("mlon") {
			var okA, okB bool
			p.lat, okA = coord(q.Get("mlat"), 85)
			p.lon, okB = coord(q.Get("mlon"), 180)
			if !okA || !okB {
				return Embed{}, false
			}
			p.marker = true
		}
	case len(path) == 2 && path[0] == "export" && path[1] == "embed.html":
		b := strings.Split(q.Get("bbox"), ",")
		if len(b) != 4 {
			return Embed{}, false
		}
		var ok [4]bool
		p.west, ok[0] = coord(b[0], 180)
		p.south, ok[1] = coord(b[1], 85)
		p.east, ok[2] = coord(b[2], 180)
		p.north, ok[3] = coord(b[3], 85)
		if !ok[0] || !ok[1] || !ok[2] || !ok[3] || p.west >= p.east || p.south >= p.north {
			return Embed{}, false
		}
		p.box = true
		if m := q.Get("marker"); m != "" {
			ll := strings.Split(m, ",")
			if len(ll) != 2 {
				return Embed{}, false
			}
			var okA, okB bool
			p.lat, okA = coord(ll[0], 85)
			p.lon, okB = coord(ll[1], 180)
			if !okA || !okB {
				return Embed{}, false
			}
			p.marker = true
		}
	default:
		return Embed{}, false
	}
	if !p.box {
		// The box a frame of some 720 by 540 pixels shows at this zoom:
		// a tile of 256 pixels spans 360/2^zoom degrees of longitude,
		// and of latitude that times the cosine of the latitude.
		span := 360 / math.Exp2(float64(p.zoom)) * 720 / 256 / 2
		p.west, p.east = math.Max(-180, p.lon-span), math.Min(180, p.lon+span)
		lat := span * 540 / 720 * math.Cos(p.lat*math.Pi/180)
		p.south, p.north = math.Max(-85, p.lat-lat), math.Min(85, p.lat+lat)
		if p.west >= p.east || p.south >= p.north {
			return Embed{}, false
		}
	}
	bbox := deg(p.west) + "," + deg(p.south) + "," + deg(p.east) + "," + deg(p.north)
	e := Embed{Provider: "openstreetmap", Kind: "map", Ratio: "4x3",
		Src: "https://www.openstreetmap.org/export/embed.html?bbox=" + bbox + "&layer=mapnik"}
	switch {
	case p.box && p.marker:
		e.URL = "https://www.openstreetmap.org/?minlon=" + deg(p.west) + "&minlat=" + deg(p.south) +
			"&maxlon=" + deg(p.east) + "&maxlat=" + deg(p.north) + "&mlat=" + deg(p.lat) + "&mlon=" + deg(p.lon)
	case p.box:
		e.URL = "https://www.openstreetmap.org/?minlon=" + deg(p.west) + "&minlat=" + deg(p.south) +
			"&maxlon=" + deg(p.east) + "&maxlat=" + deg(p.north)
	case p.marker:
		e.URL = "https://www.openstreetmap.org/?mlat=" + deg(p.lat) + "&mlon=" + deg(p.lon) +
			"#map=" + strconv.Itoa(p.zoom) + "/" + deg(p.lat) + "/" + deg(p.lon)
	default:
		e.URL = "https://www.openstreetmap.org/#map=" + strconv.Itoa(p.zoom) + "/" + deg(p.lat) + "/" + deg(p.lon)
	}
	if p.marker {
		e.Src += "&marker=" + deg(p.lat) + "," + deg(p.lon)
	}
	return e, true
}

// maxPlaceName is the longest place name or search a Google Maps embed
// carries.
const maxPlaceName = 200

func googleMaps(host string, path []string, q url.Values, _ string) (Embed, bool) {
	if host != "maps.google.com" {
		if len(path) == 0 || path[0] != "maps" {
			return Embed{}, false
		}
		path = path[1:]
	}
	e := Embed{Provider: "googlemaps", Kind: "map", Ratio: "4x3"}
	// The official embed code's address: its pb parameter is Google's
	// own encoding of the view, passed on as it is (in a strict alphabet).
	if len(path) == 1 && path[0] == "embed" {
		pb := q.Get("pb")
		if !mapsPB.MatchString(pb) {
			return Embed{}, false
		}
		e.URL = "https://www.google.com/maps/embed?pb=" + url.QueryEscape(pb)
		e.Src = e.URL
		return e, true
	}
	var name, at string
	switch {
	case len(path) == 0:
		// /maps?q=... or maps.google.com/?q=...
		name = q.Get("q")
		if name == "" {
			return Embed{}, false
		}
	case len(path) == 1:
		at = path[0] // /maps/@LAT,LON,Zz
	case len(path) >= 2 && (path[0] == "place" || path[0] == "search"):
		n, err := url.PathUnescape(strings.ReplaceAll(path[1], "+", " "))
		if err != nil {
			return Embed{}, false
		}
		name = n
		if len(path) >= 3 {
			at = path[2]
		}
	default:
		return Embed{}, false
	}
	var lat, lon float64
	zoom := -1
	if at != "" {
		parts := strings.Split(strings.TrimPrefix(at, "@"), ",")
		if !strings.HasPrefix(at, "@") || len(parts) != 3 || !strings.HasSuffix(parts[2], "z") {
			return Embed{}, false
		}
		z, err := strconv.ParseFloat(strings.TrimSuffix(parts[2], "z"), 64)
		var ok1, ok2 bool
		lat, ok1 = coord(parts[0], 90)
		lon, ok2 = coord(parts[1], 180)
		if err != nil || !ok1 || !ok2 || z < 0 || z > 21 {
			return Embed{}, false
		}
		zoom = int(z)
	} else if z := q.Get("z"); z != "" {
		var ok bool
		if zoom, ok = zoomLevel(z); !ok {
			return Embed{}, false
		}
	}
	if name != "" && !placeName(name) {
		return Embed{}, false
	}
	zs := ""
	if zoom >= 0 {
		zs = strconv.Itoa(zoom)
	}
	switch {
	case name != "" && at != "":
		e.URL = "https://www.google.com/maps/place/" + url.PathEscape(name) + "/@" + deg(lat) + "," + deg(lon) + "," + zs + "z"
		e.Src = "https://www.google.com/maps?output=embed&q=" + url.QueryEscape(name) + "&ll=" + deg(lat) + "," + deg(lon) + "&z=" + zs
	case name != "":
		e.URL = "https://www.google.com/maps?q=" + url.QueryEscape(name)
		e.Src = "https://www.google.com/maps?output=embed&q=" + url.QueryEscape(name)
		if zs != "" {
			e.URL += "&z=" + zs
			e.Src += "&z=" + zs
		}
	default:
		e.URL = "https://www.google.com/maps/@" + deg(lat) + "," + deg(lon) + "," + zs + "z"
		e.Src = "https://www.google.com/maps?output=embed&q=" + deg(lat) + "," + deg(lon) + "&z=" + zs
	}
	return e, true
}

// placeName reports whether s can be a place's name or a search: printable
// text of a reasonable length, without control characters.
func placeName(s string) bool {
	if len(s) > maxPlaceName || strings.TrimSpace(s) == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == 0xfffd || 0x80 <= r && r < 0xa0 || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
			return false
		}
	}
	return true
}
