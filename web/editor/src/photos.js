// Photos in the body: upload one (picked, pasted or dropped) to the
// newsroom's library, or choose one from the library by searching it, and
// say on the spot what it shows (alt text), its caption and its credit.
// The body gets a figure: ![alt](/media/… "caption | credit").

const photosURL = "/admin/editor/photos";

function el(tag, attrs, children) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) continue;
    if (k === "text") e.textContent = attrs[k];
    else e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
  }
  for (const c of children || []) e.append(c);
  return e;
}

function sizeText(n) {
  return n >= 1048576 ? (Math.round(n / 104857.6) / 10) + " MB" : Math.ceil(n / 1024) + " KB";
}

async function readJSON(res) {
  const data = await res.json().catch(function () { return {}; });
  if (!res.ok) throw new Error(data.error || (res.status + " " + res.statusText));
  return data;
}

export class PhotoDialog {
  constructor(editor, maxPhoto) {
    this.editor = editor;
    this.maxPhoto = Number(maxPhoto) || 0;
    this.queue = [];
    this.build();
  }

  build() {
    const d = this.dlg = el("dialog", { class: "editor-dialog photo-dialog", "aria-labelledby": "photo-dialog-title" });
    this.title = el("h2", { id: "photo-dialog-title", text: "Photo" });
    this.status = el("p", { class: "status-line", role: "status", "aria-live": "polite" });
    // Step 1: a file, or the library.
    this.file = el("input", { type: "file", id: "photo-dialog-file", accept: "image/jpeg,image/png,image/gif,image/webp" });
    this.search = el("input", { type: "search", id: "photo-dialog-search", placeholder: "Words from the caption, alt text, credit or file name", autocomplete: "off" });
    this.results = el("ul", { class: "picker photo-results", id: "photo-dialog-results" });
    this.more = el("button", { type: "button", class: "secondary", text: "More", hidden: true });
    this.choose = el("div", { class: "photo-choose" }, [
      el("div", { class: "field" }, [el("label", { for: "photo-dialog-file", text: "Upload a photo" }), this.file,
        el("p", { class: "help", text: "JPEG, PNG, GIF or WebP" + (this.maxPhoto ? ", at most " + sizeText(this.maxPhoto) : "") + ". You can also paste a photo into the text, or drag it there." })]),
      el("div", { class: "field" }, [el("label", { for: "photo-dialog-search", text: "Or find one in the library" }), this.search]),
      this.results, this.more,
    ]);
    // Step 2: the words that go with it.
    this.preview = el("img", { class: "photo-preview", alt: "" });
    this.alt = el("input", { id: "photo-dialog-alt", required: true, maxlength: "500", "aria-describedby": "photo-dialog-alt-help" });
    this.caption = el("textarea", { id: "photo-dialog-caption", rows: "2", maxlength: "1000" });
    this.credit = el("input", { id: "photo-dialog-credit", maxlength: "200" });
    this.insertButton = el("button", { type: "submit", value: "insert", text: "Insert the photo" });
    this.details = el("div", { class: "photo-details", hidden: true }, [
      this.preview,
      el("div", { class: "field" }, [el("label", { for: "photo-dialog-alt", text: "Alt text" }), this.alt,
        el("p", { class: "help", id: "photo-dialog-alt-help", text: "What the photo shows, for readers who cannot see it." })]),
      el("div", { class: "field" }, [el("label", { for: "photo-dialog-caption", text: "Caption" }), this.caption]),
      el("div", { class: "field" }, [el("label", { for: "photo-dialog-credit", text: "Credit" }), this.credit]),
    ]);
    this.cancelButton = el("button", { type: "button", class: "secondary", text: "Cancel" });
    this.form = el("form", { method: "dialog" }, [this.title, this.status, this.choose, this.details,
      el("div", { class: "actions" }, [this.insertButton, this.cancelButton])]);
    d.append(this.form);
    document.body.append(d);

    this.cancelButton.addEventListener("click", () => this.close());
    d.addEventListener("cancel", (e) => { e.preventDefault(); this.close(); });
    this.file.addEventListener("change", () => {
      if (this.file.files && this.file.files[0]) this.upload(this.file.files[0]);
    });
    let t = null;
    this.search.addEventListener("input", () => {
      if (t) clearTimeout(t);
      t = setTimeout(() => this.find(0), 250);
    });
    this.more.addEventListener("click", () => this.find(this.nextOffset));
    this.results.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-src]");
      if (b) this.chosen(JSON.parse(b.dataset.photo));
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (this.details.hidden) return;
      if (!this.alt.value.trim()) {
        this.status.textContent = "Say what the photo shows (alt text): readers who cannot see it depend on it.";
        this.alt.setAttribute("aria-invalid", "true");
        this.alt.focus();
        return;
      }
      const attrs = { src: this.photo.src, alt: this.alt.value.trim(), caption: this.caption.value.trim().replace(/\s+/g, " "), credit: this.credit.value.trim().replace(/\s+/g, " ") };
      const pos = this.pos, replace = this.replace;
      if (this.photo.id && (!this.photo.alt || !this.photo.caption || !this.photo.credit)) {
        // The library keeps the first words a photo is given, for the next
        // writer who looks for it; words it already has are not replaced.
        fetch(photosURL + "/" + this.photo.id + "/words", { method: "POST", body: new URLSearchParams({ alt: attrs.alt, caption: attrs.caption, credit: attrs.credit }),
          headers: { Accept: "application/json" }, credentials: "same-origin" }).catch(function () {});
      }
      this.close();
      this.editor.insertFigure(attrs, pos, replace);
      this.next();
    });
  }

  reset(title) {
    this.title.textContent = title;
    this.status.textContent = "";
    this.file.value = "";
    this.search.value = "";
    this.results.replaceChildren();
    this.more.hidden = true;
    this.details.hidden = true;
    this.choose.hidden = false;
    this.insertButton.hidden = true;
    this.alt.removeAttribute("aria-invalid");
    this.photo = null;
    this.replace = false;
  }

  // open asks for a photo to put at the cursor.
  open() {
    this.reset("Add a photo");
    this.pos = this.editor.view.state.selection.from;
    this.dlg.showModal();
    this.find(0);
    this.file.focus();
  }

  // edit changes the words of the figure at pos.
  edit(pos, node) {
    this.reset("Edit the photo");
    this.pos = pos;
    this.replace = true;
    this.dlg.showModal();
    this.chosen({ src: node.attrs.src, alt: node.attrs.alt, caption: node.attrs.caption, credit: node.attrs.credit });
  }

  close() {
    if (this.dlg.open) this.dlg.close();
    this.editor.view.focus();
  }

  // uploadFiles uploads pasted or dropped photos one after the other, each
  // with its own dialog, all at pos.
  uploadFiles(files, pos) {
    for (const f of files) this.queue.push({ file: f, pos: pos });
    if (!this.dlg.open) this.next();
  }

  next() {
    const job = this.queue.shift();
    if (!job) return;
    this.reset("Add a photo");
    this.pos = job.pos;
    this.choose.hidden = true;
    this.dlg.showModal();
    this.upload(job.file);
  }

  async upload(file) {
    if (this.maxPhoto && file.size > this.maxPhoto) {
      this.choose.hidden = false;
      this.status.textContent = "Not uploaded: " + (file.name || "the photo") + " is " + sizeText(file.size) + "; the most a photo may be is " + sizeText(this.maxPhoto) + ".";
      return;
    }
    this.status.textContent = "Uploading " + (file.name || "the photo") + "…";
    const fd = new FormData();
    fd.append("photo", file, file.name || "pasted.png");
    try {
      const res = await fetch(photosURL, { method: "POST", body: fd, headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await readJSON(res);
      this.status.textContent = data.duplicate ? "This photo was already in the library: its words are filled in." : "Uploaded.";
      this.chosen(data.photo);
    } catch (e) {
      this.choose.hidden = false;
      this.status.textContent = "Not uploaded: " + e.message;
    }
  }

  async find(offset) {
    const q = this.search.value.trim();
    try {
      const res = await fetch(photosURL + "?q=" + encodeURIComponent(q) + "&offset=" + offset, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const data = await readJSON(res);
      if (q !== this.search.value.trim()) return; // a later search is on its way
      if (!offset) this.results.replaceChildren();
      for (const p of data.photos || []) {
        const b = el("button", { type: "button", class: "pick", "data-src": p.src, title: p.caption || p.alt || p.name || "" }, [
          el("img", { src: p.thumb ? p.thumb.src : p.src, width: p.thumb ? p.thumb.width : null, height: p.thumb ? p.thumb.height : null, alt: "", loading: "lazy" }),
          el("span", { text: p.alt || p.caption || p.name || "Photo" }),
        ]);
        b.dataset.photo = JSON.stringify(p);
        this.results.append(el("li", {}, [b]));
      }
      this.nextOffset = data.next || 0;
      this.more.hidden = !data.next;
      if (!this.results.children.length) this.results.append(el("li", { class: "empty", text: q ? "No photo in the library matches “" + q + "”." : "The library is empty." }));
    } catch (e) {
      this.status.textContent = "The library could not be searched: " + e.message;
    }
  }

  chosen(p) {
    this.photo = p;
    this.choose.hidden = true;
    this.details.hidden = false;
    this.insertButton.hidden = false;
    this.insertButton.textContent = this.replace ? "Save" : "Insert the photo";
    this.preview.src = p.thumb ? p.thumb.src : p.src;
    this.alt.value = p.alt || "";
    this.caption.value = p.caption || "";
    this.credit.value = p.credit || "";
    (this.alt.value ? this.caption : this.alt).focus();
  }
}
