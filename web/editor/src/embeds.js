// Embeds: a paragraph holding nothing but the address of a post, video,
// chart or map on a known provider's site is an embed block, which
// internal/markup renders as a card that loads nothing until the reader
// asks. The hosts here are internal/markup's (embed.go, embedHosts);
// there each provider's address is also checked against the forms it
// takes, so an address of a known host that is not a post, video, chart
// or map (a channel's home page, say) reaches readers as the address it
// is. Either way the Markdown is the same: nothing is lost.

const providers = {
  YouTube: ["youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be", "youtube-nocookie.com", "www.youtube-nocookie.com"],
  Vimeo: ["vimeo.com", "www.vimeo.com", "player.vimeo.com"],
  X: ["x.com", "www.x.com", "mobile.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"],
  Instagram: ["instagram.com", "www.instagram.com"],
  Facebook: ["facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"],
  TikTok: ["tiktok.com", "www.tiktok.com", "m.tiktok.com"],
  SoundCloud: ["soundcloud.com", "www.soundcloud.com", "m.soundcloud.com"],
  Spotify: ["open.spotify.com"],
  Datawrapper: ["datawrapper.dwcdn.net", "www.datawrapper.de", "datawrapper.de"],
  Flourish: ["public.flourish.studio", "flo.uri.sh"],
  OpenStreetMap: ["openstreetmap.org", "www.openstreetmap.org", "osm.org"],
  "Google Maps": ["google.com", "www.google.com", "maps.google.com"],
};

const byHost = {};
for (const name in providers) for (const h of providers[name]) byHost[h] = name;

// embedProvider returns the provider's name for an address the body may
// embed, or "" for any other text.
export function embedProvider(text) {
  const s = text.trim();
  // Printable ASCII only, as internal/markup asks.
  if (s !== text || !/^https?:\/\/[!-~]+$/i.test(s) || s.indexOf("\\") >= 0 || s.length > 2048) return "";
  let u;
  try { u = new URL(s); } catch (e) { return ""; }
  if (u.username || u.password || u.port) return "";
  const name = byHost[u.hostname.toLowerCase()] || "";
  // google.com is a map only under /maps.
  if (name === "Google Maps" && u.hostname.toLowerCase() !== "maps.google.com" && !/^\/maps(\/|$)/.test(u.pathname)) return "";
  return name;
}
