// presence.js: who else has this story open. The editor page is served
// saying who was there as it loaded (presence.go); this script sends a
// heartbeat every data-interval milliseconds, same-origin like autosave,
// and shows what it answers: who else is here, who holds the soft lock
// and since when, and, when an editor has taken the story over, that it
// was taken. While someone else holds the lock it asks once before the
// first keystroke and before a save. It never blocks a save the writer
// confirms: the server's conflict check stays the safety net.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("presence");
  if (!box || !window.fetch) {
    return;
  }
  const url = box.dataset.url;
  const every = Number(box.dataset.interval) || 1500;
  const others = document.getElementById("presence-others");
  const lock = document.getElementById("presence-lock");
  const take = document.getElementById("presence-take");
  const taken = document.getElementById("presence-taken");
  const form = document.getElementById("editor");
  let holder = box.dataset.holder || "";
  let since = box.dataset.since || "";
  let typedAnyway = false;
  let leaving = false;

  // Text is set only when it changes: rewriting the same words replaces
  // the text node, which a live region (the alerts here too) reports as a
  // change, and a screen reader would read it out every heartbeat.
  function setText(el, text) {
    if (el.textContent !== text) {
      el.textContent = text;
    }
  }

  function show(s) {
    holder = s.holder || "";
    since = s.since || "";
    box.dataset.holder = holder;
    box.dataset.since = since;
    if (s.mine) {
      box.dataset.mine = "1";
    } else {
      delete box.dataset.mine;
    }
    const list = (s.others || []).map((p) => p.name + " (since " + p.since + ")");
    const text = list.length ? "Also in this story: " + list.join(", ") + "." : "Nobody else has this story open.";
    setText(others, text);
    lock.hidden = !holder;
    setText(document.getElementById("presence-holder"), holder);
    setText(document.getElementById("presence-since"), since);
    take.hidden = !(holder && s.can_take);
    if (s.taken_by) {
      // Once told, the notice stays: the text in this editor is no
      // longer the one being worked on.
      setText(document.getElementById("presence-taker"), s.taken_by);
      taken.hidden = false;
    }
  }

  async function beat() {
    if (leaving) {
      return;
    }
    try {
      const res = await fetch(url, {
        method: "POST", body: new URLSearchParams({ beat: "1" }),
        headers: { "Accept": "application/json" }, credentials: "same-origin",
      });
      if (res.ok) {
        show(await res.json());
      }
    } catch (e) {
      // No connection: the page keeps what it showed; the next beat tries again.
    }
    setTimeout(beat, every);
  }
  setTimeout(beat, every);

  function warning(what) {
    return holder + " is editing this story since " + since + ". " + what +
      " If you both save, the second save is not applied: it is kept as a conflict revision.";
  }
  if (form) {
    // Before the first keystroke while someone else holds the lock.
    form.addEventListener("beforeinput", (e) => {
      if (!holder || typedAnyway) {
        return;
      }
      if (window.confirm(warning("Edit it anyway?"))) {
        typedAnyway = true;
      } else {
        e.preventDefault();
      }
    }, true);
    // And before a save, even after typing anyway: the lock may have
    // changed hands since. Capture, so the page's other submit handlers
    // (autosave's) do not run for a save that is called off.
    document.addEventListener("submit", (e) => {
      if (e.target !== form || !holder) {
        return;
      }
      if (!window.confirm(warning("Save anyway?"))) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    }, true);
  }
  // A form sent from this page (a save, taking the story over) leads to a
  // page that takes the presence up again: no leave for it, which could
  // arrive after that page's own heartbeat.
  document.addEventListener("submit", (e) => {
    if (!e.defaultPrevented) {
      leaving = true;
    }
  });

  // Leaving the page ends this editor's presence, and frees the lock at
  // once rather than when it goes stale. Not when the page is leaving to
  // save: the saved page takes the presence up again.
  window.addEventListener("pagehide", () => {
    if (leaving) {
      return;
    }
    leaving = true;
    fetch(url, {
      method: "POST", body: new URLSearchParams({ leave: "1" }), keepalive: true,
      headers: { "Accept": "application/json" }, credentials: "same-origin",
    }).catch(() => {});
  });
  // Back to the page from the browser's cache: here again.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted && leaving) {
      leaving = false;
      beat();
    }
  });
});
