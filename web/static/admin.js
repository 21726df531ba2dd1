// The newsroom's script. Everything works without it; it adds autosave, the
// live preview and the editor's toolbar. It loads nothing from elsewhere.
"use strict";

(function () {
  // A form just refused: mark the field at fault and take the cursor there.
  const err = document.getElementById("form-error");
  if (err && err.dataset.field) {
    const name = err.dataset.field;
    const field = document.querySelector('[name="' + name + '"]');
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " form-error").trim());
      field.focus();
    }
  }

  // Forms that may carry a photo say how large they may be. One that is
  // larger is not sent: the server would refuse it whole (413) and a
  // browser that navigated away could lose what was typed; here the text
  // stays on screen with the reason.
  function sizeText(n) {
    return n >= 1048576 ? (Math.round(n / 104857.6) / 10) + " MB" : Math.ceil(n / 1024) + " KB";
  }
  function formBytes(f) {
    let n = 0;
    for (const [, v] of new FormData(f)) {
      n += 200 + (typeof v === "string" ? new Blob([v]).size : v.size); // a part's headers, then its value
    }
    return n;
  }
  function refuseSubmit(f, msg) {
    let box = f.previousElementSibling;
    if (!box || !box.classList.contains("size-error")) {
      box = document.createElement("div");
      box.className = "error size-error";
      box.setAttribute("role", "alert");
      f.parentNode.insertBefore(box, f);
    }
    box.textContent = msg;
    box.scrollIntoView({ block: "nearest" });
  }
  document.querySelectorAll("form[data-max-form]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      const maxPhoto = Number(f.dataset.maxPhoto), maxForm = Number(f.dataset.maxForm);
      const photo = f.querySelector('input[type="file"]');
      const file = photo && photo.files && photo.files[0];
      if (file && maxPhoto && file.size > maxPhoto) {
        e.preventDefault();
        e.stopImmediatePropagation();
        refuseSubmit(f, "Not sent: the photo " + file.name + " is " + sizeText(file.size) + "; the most it may be is " + sizeText(maxPhoto) + ". Choose a smaller one. Nothing else was lost.");
        photo.focus();
        return;
      }
      const n = formBytes(f);
      if (maxForm && n > maxForm) {
        e.preventDefault();
        e.stopImmediatePropagation();
        refuseSubmit(f, "Not sent: the form is " + sizeText(n) + "; the most it may be is " + sizeText(maxForm) + ". Shorten the text or choose a smaller photo; what you typed is still here.");
      }
    });
  });

  // Buttons that change what readers or writers see (unpublish, restore)
  // ask first. Without a script the server asks, on a page of its own;
  // here a dialog asks, and the answer goes with the form (confirm=yes).
  document.addEventListener("submit", function (e) {
    const f = e.target;
    const msg = (e.submitter && e.submitter.dataset.confirm) || f.dataset.confirm;
    if (!msg || e.defaultPrevented) return;
    if (!window.confirm(msg)) { e.preventDefault(); return; }
    let yes = f.querySelector('input[name="confirm"]');
    if (!yes) {
      yes = document.createElement("input");
      yes.type = "hidden";
      yes.name = "confirm";
      f.appendChild(yes);
    }
    yes.value = "yes";
  });

  const form = document.getElementById("editor");
  if (!form || form.querySelector("fieldset[disabled]")) return;
  const body = form.querySelector("#body");
  const status = document.getElementById("autosave-status");

  // The fields as the server reads them, without the photo file.
  function formData() {
    const fd = new FormData(form);
    fd.delete("photo");
    return fd;
  }

  // Autosave: a few seconds after the last keystroke, when the tab is
  // hidden, and as the page goes. It is kept apart from the article until
  // the writer saves. Each autosave carries the page's draft token (a
  // hidden field) and a sequence number that only grows, from the clock, so
  // one that arrives late never replaces a newer one, even from a page
  // reloaded since; once the page's text is saved, the server refuses the
  // token's late autosaves.
  let timer = null;
  let last = "";
  let submitting = false;
  let seq = Date.now();
  function snapshot() {
    return new URLSearchParams(formData()).toString();
  }
  last = snapshot();
  function autosaveData() {
    const fd = formData();
    seq += 1;
    fd.set("seq", String(seq));
    return fd;
  }
  async function autosave() {
    timer = null;
    if (submitting || !form.dataset.autosave) return; // a form with no autosave (a standing page's)
    const now = snapshot();
    if (now === last) return;
    try {
      const res = await fetch(form.dataset.autosave, {
        method: "POST", body: autosaveData(), headers: { "Accept": "application/json" }, credentials: "same-origin",
      });
      // An answer that is not the server's JSON (a proxy's page, say) is
      // still an answer: say its status rather than "no connection".
      const data = await res.json().catch(function () { return {}; });
      if (res.ok && data.saved_at) {
        last = now;
        status.textContent = "Autosaved at " + data.saved_at + ". Press Save to keep it.";
      } else {
        // The server's message says what to do; without one, say the text is safe here.
        status.textContent = "Not autosaved: " + (data.error || (res.status + " " + res.statusText + ". Your text is still here; keep the tab open."));
      }
    } catch (e) {
      status.textContent = "Not autosaved: no connection. Your text is still here; keep the tab open.";
    }
  }
  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(autosave, 3000);
  }
  // leaving sends what was typed since the last autosave as the page goes,
  // in a request the browser finishes after the page is gone (keepalive:
  // at most 64 KB). It reports whether the text is on its way, or was sent
  // already; when it is not (too long), the page asks before leaving.
  let sentOnLeaving = "";
  function leaving() {
    if (submitting) return true;
    // A form with no autosave (a standing page's): the browser asks
    // before what was typed is left.
    if (!form.dataset.autosave) return snapshot() === last;
    const now = snapshot();
    if (now === last || now === sentOnLeaving) return true;
    const fd = autosaveData();
    let n = 0;
    for (const [, v] of fd) n += 200 + new Blob([v]).size;
    if (n > 60000) return false;
    try {
      fetch(form.dataset.autosave, { method: "POST", body: fd, keepalive: true, headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (res) { if (res.ok) last = now; }, function () {});
    } catch (e) {
      return false;
    }
    if (timer) { clearTimeout(timer); timer = null; }
    sentOnLeaving = now;
    return true;
  }
  form.addEventListener("input", schedule);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") leaving();
  });
  window.addEventListener("pagehide", leaving);
  form.addEventListener("submit", function () { submitting = true; if (timer) clearTimeout(timer); });
  window.addEventListener("beforeunload", function (e) {
    if (!leaving()) { e.preventDefault(); }
  });

  // Live preview: the public page itself, rendered by the server with the
  // site's code from the form as it stands (internal/admin/preview.go), in
  // a frame sandboxed without scripts; the search result and the social
  // card beside it. The photo file is not sent: it shows once saved.
  const preview = document.getElementById("preview");
  const frame = document.getElementById("preview-page");
  const aside = document.getElementById("preview-aside");
  let ptimer = null;
  async function renderPreview() {
    const fd = new FormData(form);
    fd.delete("photo");
    try {
      const res = await fetch(form.dataset.preview, { method: "POST", body: fd, headers: { "Accept": "application/json" }, credentials: "same-origin" });
      const data = await res.json().catch(function () { return {}; });
      if (!res.ok || data.page === undefined) {
        aside.textContent = data.error || ("The preview failed: " + res.status + " " + res.statusText);
        return;
      }
      // Keep the reader's place in the page across refreshes.
      let y = 0;
      try { y = frame.contentWindow.scrollY; } catch (e) { /* not loaded yet */ }
      frame.addEventListener("load", function () { try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* ignore */ } }, { once: true });
      // Both were rendered and escaped on the server (html/template).
      frame.srcdoc = data.page;
      aside.innerHTML = data.aside;
    } catch (e) { /* offline: keep the last preview */ }
  }
  if (preview && frame && aside) {
    preview.hidden = false;
    renderPreview();
    form.addEventListener("input", function (e) {
      if (e.target && e.target.name === "preview-width") return;
      if (ptimer) clearTimeout(ptimer);
      ptimer = setTimeout(renderPreview, 500);
    });
    form.addEventListener("change", function (e) {
      if (e.target && (e.target.name === "photo_id" || e.target.name === "section")) renderPreview();
    });
  }

  // The toolbar: Markdown around the selection.
  const toolbar = form.querySelector(".toolbar");
  if (!toolbar || !body) return;
  toolbar.hidden = false;
  function wrap(before, after, placeholder) {
    const s = body.selectionStart, e = body.selectionEnd;
    const sel = body.value.slice(s, e) || placeholder;
    body.setRangeText(before + sel + after, s, e, "end");
    body.setSelectionRange(s + before.length, s + before.length + sel.length);
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }
  function linePrefix(prefix) {
    const s = body.selectionStart, e = body.selectionEnd;
    const start = body.value.lastIndexOf("\n", s - 1) + 1;
    const block = body.value.slice(start, e) || "";
    const out = block.split("\n").map(function (l) { return prefix + l; }).join("\n");
    body.setRangeText(out, start, e, "end");
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const actions = {
    bold: function () { wrap("**", "**", "bold text"); },
    italic: function () { wrap("*", "*", "italic text"); },
    link: function () {
      const url = window.prompt("Address of the link (https://…)", "https://");
      if (url) wrap("[", "](" + url + ")", "link text");
    },
    subhead: function () { linePrefix("# "); },
    quote: function () { linePrefix("> "); },
    list: function () { linePrefix("- "); },
    photo: function () {
      const src = window.prompt("Photo address from the library (/media/…)", "/media/");
      if (src) wrap("\n\n![", "](" + src + ' "Caption | Credit")\n\n', "What the photo shows");
    },
  };
  toolbar.addEventListener("click", function (e) {
    const b = e.target.closest("button[data-md]");
    if (b && actions[b.dataset.md]) actions[b.dataset.md]();
  });
  body.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey)) return;
    const k = { b: "bold", i: "italic", k: "link" }[e.key.toLowerCase()];
    if (k) { e.preventDefault(); actions[k](); }
  });
})();

// Ctrl+Enter (⌘+Enter on a Mac) sends the form of a text box that asks for
// it (data-ctrl-enter: the live desk's updates), as its button would.
document.addEventListener("keydown", function (e) {
  if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.isComposing) return;
  const box = e.target.closest && e.target.closest("textarea[data-ctrl-enter]");
  if (!box || !box.form) return;
  e.preventDefault();
  box.form.requestSubmit();
});
