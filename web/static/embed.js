// embed.js: loads an embedded post, video, audio, chart or map of another
// site only when the reader asks for it.
//
// A story's embed is rendered (internal/markup, embedblock.go) as a card:
// a figure naming the source, with the link, and a hidden button. Nothing
// in the card loads anything. This script shows the button; pressing it
// puts the provider's player, in a sandboxed iframe, in the button's place.
// Without the script the reader has the card and the link.
//
// The players' addresses come from the page, so the script checks each one
// against its own table before it uses it, and the site's
// Content-Security-Policy allows frames from these origins only.
(function () {
  "use strict";

  // The providers, as markup.EmbedProviders lists them (TestEmbedScript
  // in internal/site compares the two): the start every player's address
  // must have, the iframe's sandbox, permissions and referrer policy.
  // providers-begin
  var providers = {
    "youtube": {"name": "YouTube", "prefix": "https://www.youtube-nocookie.com/embed/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation", "allow": "encrypted-media; fullscreen; picture-in-picture", "referrer": "strict-origin"},
    "vimeo": {"name": "Vimeo", "prefix": "https://player.vimeo.com/video/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation", "allow": "encrypted-media; fullscreen; picture-in-picture", "referrer": "strict-origin"},
    "x": {"name": "X", "prefix": "https://platform.twitter.com/embed/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "fullscreen", "referrer": "no-referrer"},
    "instagram": {"name": "Instagram", "prefix": "https://www.instagram.com/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "encrypted-media; fullscreen; picture-in-picture", "referrer": "no-referrer"},
    "facebook": {"name": "Facebook", "prefix": "https://www.facebook.com/plugins/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "encrypted-media; fullscreen; picture-in-picture", "referrer": "no-referrer"},
    "tiktok": {"name": "TikTok", "prefix": "https://www.tiktok.com/embed/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation", "allow": "encrypted-media; fullscreen; picture-in-picture", "referrer": "no-referrer"},
    "soundcloud": {"name": "SoundCloud", "prefix": "https://w.soundcloud.com/player/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "encrypted-media", "referrer": "no-referrer"},
    "spotify": {"name": "Spotify", "prefix": "https://open.spotify.com/embed/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "encrypted-media", "referrer": "no-referrer"},
    "datawrapper": {"name": "Datawrapper", "prefix": "https://datawrapper.dwcdn.net/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "fullscreen", "referrer": "no-referrer"},
    "flourish": {"name": "Flourish", "prefix": "https://flo.uri.sh/", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "fullscreen", "referrer": "no-referrer"},
    "openstreetmap": {"name": "OpenStreetMap", "prefix": "https://www.openstreetmap.org/export/embed.html", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "fullscreen", "referrer": "no-referrer"},
    "googlemaps": {"name": "Google Maps", "prefix": "https://www.google.com/maps", "sandbox": "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox", "allow": "fullscreen", "referrer": "no-referrer"}
  };
  // providers-end

  // safe reports whether src is a player's address of provider p: it
  // starts with the provider's prefix and holds nothing a browser would
  // read as anything but an address.
  function safe(p, src) {
    return src.lastIndexOf(p.prefix, 0) === 0 && !/[\s"'<>`\\]/.test(src);
  }

  // load puts the player in the button's place and moves the focus to it,
  // so that a keyboard user is not left on a button that is gone.
  function load(figure, button, p, src) {
    var caption = figure.querySelector("figcaption");
    var label = caption && caption.firstChild && caption.firstChild.nodeType === 3 ?
      caption.firstChild.nodeValue.replace(/:\s*$/, "") : p.name;
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", p.sandbox);
    frame.setAttribute("allow", p.allow);
    frame.setAttribute("referrerpolicy", p.referrer);
    frame.setAttribute("title", label);
    frame.src = src;
    var box = document.createElement("div");
    box.className = "embed-frame";
    box.appendChild(frame);
    button.replaceWith(box);
    figure.classList.add("embed-loaded");
    frame.focus();
  }

  function init() {
    var figures = document.querySelectorAll("figure.embed[data-embed]");
    for (var i = 0; i < figures.length; i++) {
      (function (figure) {
        var id = figure.getAttribute("data-embed");
        var src = figure.getAttribute("data-embed-src") || "";
        var button = figure.querySelector("button.embed-load");
        if (!button || !Object.prototype.hasOwnProperty.call(providers, id)) {
          return;
        }
        var p = providers[id];
        if (!safe(p, src)) {
          return;
        }
        button.hidden = false;
        button.addEventListener("click", function () {
          load(figure, button, p, src);
        });
      })(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
