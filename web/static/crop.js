// crop.js: the photo page's focal point and crops by pointer. The form
// works without it (numbers typed in the fields); this script draws the
// photo with the focal point and the chosen crop's frame on it, sets the
// focal point where the editor clicks or drags, moves and resizes a crop's
// frame, and shows each crop as it will be cut. It only fills the form's
// fields: the server checks and saves them as if typed.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.framing");
  const stage = form && form.querySelector(".crop-stage");
  if (!stage) {
    return;
  }
  const W = Number(form.dataset.width), H = Number(form.dataset.height);
  const img = stage.querySelector("img");
  const fx = form.elements.focus_x, fy = form.elements.focus_y;
  stage.hidden = false;
  form.querySelector(".crop-stage-help").hidden = false;

  const mark = document.createElement("span");
  mark.className = "focus-mark";
  const frame = document.createElement("span");
  frame.className = "crop-frame";
  frame.hidden = true;
  const handle = document.createElement("span");
  handle.className = "crop-handle";
  frame.append(handle);
  stage.append(mark, frame);

  const num = (input, fallback) => (input.value.trim() === "" ? fallback : Number(input.value));
  const focus = () => ({ x: num(fx, 0.5), y: num(fy, 0.5) });
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
  // The scale from the photo's pixels to the stage's CSS pixels.
  const scale = () => stage.getBoundingClientRect().width / W;

  // suggest is news.SuggestCrop: the largest rectangle of the shape,
  // centred on the focal point as far as the edges allow.
  function suggest(aw, ah, p) {
    let cw, ch;
    if (W * ah >= H * aw) {
      ch = H;
      cw = Math.min(W, Math.floor((2 * H * aw + ah) / (2 * ah)));
    } else {
      cw = W;
      ch = Math.min(H, Math.floor((2 * W * ah + aw) / (2 * aw)));
    }
    cw = Math.max(cw, 1);
    ch = Math.max(ch, 1);
    const x = Math.round(clamp(p.x, 0, 1) * W - cw / 2);
    const y = Math.round(clamp(p.y, 0, 1) * H - ch / 2);
    return { x: clamp(x, 0, W - cw), y: clamp(y, 0, H - ch), w: cw, h: ch };
  }

  const crops = [...form.querySelectorAll("fieldset.crop")].map((fs) => {
    const f = fs.dataset.field;
    const c = {
      fs,
      aw: Number(fs.dataset.aspectW),
      ah: Number(fs.dataset.aspectH),
      inputs: ["x", "y", "w", "h"].map((k) => form.elements[f + "_" + k]),
      canvas: document.createElement("canvas"),
    };
    c.canvas.className = "crop-preview";
    c.canvas.setAttribute("role", "img");
    c.canvas.setAttribute("aria-label", "The " + c.aw + ":" + c.ah + " crop as it will be cut");
    const saved = fs.querySelector("img.crop-preview");
    if (saved) {
      saved.replaceWith(c.canvas);
    } else {
      fs.querySelector("legend").after(c.canvas);
    }
    const buttons = document.createElement("p");
    const show = document.createElement("button");
    show.type = "button";
    show.textContent = "Show its frame on the photo";
    show.addEventListener("click", () => select(c));
    const follow = document.createElement("button");
    follow.type = "button";
    follow.textContent = "Follow the focal point";
    follow.addEventListener("click", () => {
      c.inputs.forEach((i) => (i.value = ""));
      draw();
    });
    buttons.append(show, " ", follow);
    fs.append(buttons);
    c.inputs.forEach((i) => i.addEventListener("input", draw));
    return c;
  });
  let active = null;

  const drawn = (c) => c.inputs.some((i) => i.value.trim() !== "");
  // rect is the crop as the form says now: drawn, or suggested.
  function rect(c) {
    const s = suggest(c.aw, c.ah, focus());
    if (!drawn(c)) {
      return s;
    }
    const [x, y, w, h] = c.inputs.map((i, k) => num(i, [s.x, s.y, s.w, s.h][k]));
    return { x, y, w, h };
  }
  function setRect(c, r) {
    [r.x, r.y, r.w, r.h].forEach((v, k) => (c.inputs[k].value = String(Math.round(v))));
  }

  function select(c) {
    active = c;
    crops.forEach((o) => o.fs.classList.toggle("active", o === c));
    draw();
  }

  function draw() {
    const k = scale(), p = focus();
    mark.style.left = p.x * W * k + "px";
    mark.style.top = p.y * H * k + "px";
    for (const c of crops) {
      const r = rect(c);
      c.inputs.forEach((i, n) => (i.placeholder = String(suggest(c.aw, c.ah, p)[["x", "y", "w", "h"][n]])));
      // The preview: the crop cut from the stage's copy of the photo.
      const pw = 240, ph = Math.round((pw * c.ah) / c.aw);
      c.canvas.width = pw;
      c.canvas.height = ph;
      const ctx = c.canvas.getContext("2d");
      const sx = img.naturalWidth / W;
      if (img.complete && img.naturalWidth > 0 && r.w > 0 && r.h > 0) {
        ctx.drawImage(img, r.x * sx, r.y * sx, r.w * sx, r.h * sx, 0, 0, pw, ph);
      }
    }
    frame.hidden = !active;
    if (active) {
      const r = rect(active);
      Object.assign(frame.style, { left: r.x * k + "px", top: r.y * k + "px", width: r.w * k + "px", height: r.h * k + "px" });
    }
  }

  // Pointer work: on the photo, the focal point; on a frame, a move; on
  // its handle, a resize that keeps the shape.
  let drag = null;
  stage.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    stage.setPointerCapture(e.pointerId);
    if (active && e.target === handle) {
      drag = { kind: "size", start: rect(active) };
    } else if (active && e.target === frame) {
      drag = { kind: "move", start: rect(active), x: e.clientX, y: e.clientY };
    } else {
      drag = { kind: "focus" };
      moveFocus(e);
    }
  });
  stage.addEventListener("pointermove", (e) => {
    if (!drag) {
      return;
    }
    const k = scale();
    if (drag.kind === "focus") {
      moveFocus(e);
    } else if (drag.kind === "move") {
      const s = drag.start;
      setRect(active, {
        x: clamp(s.x + (e.clientX - drag.x) / k, 0, W - s.w),
        y: clamp(s.y + (e.clientY - drag.y) / k, 0, H - s.h),
        w: s.w,
        h: s.h,
      });
      draw();
    } else {
      const s = drag.start, box = stage.getBoundingClientRect();
      const c = active;
      const most = Math.min(W - s.x, Math.floor(((H - s.y) * c.aw) / c.ah));
      const w = clamp(Math.round((e.clientX - box.left) / k - s.x), Math.min(c.aw, most), most);
      setRect(c, { x: s.x, y: s.y, w, h: Math.max(1, Math.min(H - s.y, Math.round((w * c.ah) / c.aw))) });
      draw();
    }
  });
  const end = () => (drag = null);
  stage.addEventListener("pointerup", end);
  stage.addEventListener("pointercancel", end);

  function moveFocus(e) {
    const box = stage.getBoundingClientRect();
    const round = (v) => String(Math.round(clamp(v, 0, 1) * 1000) / 1000);
    fx.value = round((e.clientX - box.left) / box.width);
    fy.value = round((e.clientY - box.top) / box.height);
    draw();
  }

  fx.addEventListener("input", draw);
  fy.addEventListener("input", draw);
  window.addEventListener("resize", draw);
  if (img.complete) {
    draw();
  } else {
    img.addEventListener("load", draw);
  }
});
