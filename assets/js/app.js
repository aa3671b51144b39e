// Mahir's small progressive enhancements. Every page works without this file.

// The language switch submits itself when a language is picked; its button is then redundant.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
for (const button of document.querySelectorAll("[data-hide-with-js]")) {
  button.hidden = true;
}

// An open menu closes on a click elsewhere or on Escape; opening one closes the others.
const menus = document.querySelectorAll("details.menu");
const closeMenus = (except) => {
  for (const menu of menus) if (menu !== except) menu.open = false;
};
for (const menu of menus) {
  menu.addEventListener("toggle", () => menu.open && closeMenus(menu));
}
document.addEventListener("click", (event) => {
  if (!event.target.closest("details.menu")) closeMenus(null);
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = [...menus].find((m) => m.open);
  if (open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});

// The header's search box suggests courses and materials as one types: a combobox whose
// list is walked with the arrow keys, chosen with Enter and closed with Escape; without
// this script the box submits to the results page.
for (const input of document.querySelectorAll("input[data-suggest]")) {
  const list = document.getElementById(input.getAttribute("aria-controls"));
  const status = input.form.querySelector("[data-suggest-status]");
  let items = [];
  let active = -1;
  let timer = 0;
  let asked = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const mark = (i) => {
    active = i;
    for (const [n, li] of [...list.children].entries()) li.setAttribute("aria-selected", String(n === i));
    if (i >= 0) input.setAttribute("aria-activedescendant", list.children[i].id);
    else input.removeAttribute("aria-activedescendant");
  };
  const show = (found) => {
    items = found;
    list.replaceChildren(
      ...found.map((item, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        const a = document.createElement("a");
        a.href = item.url;
        a.tabIndex = -1;
        a.textContent = item.title;
        li.append(a);
        li.addEventListener("mousedown", (e) => e.preventDefault());
        return li;
      }),
    );
    if (status) status.textContent = found.length ? `${found.length} ${list.getAttribute("aria-label")}` : "";
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      mark(-1);
    } else close();
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return close();
    timer = setTimeout(async () => {
      const mine = ++asked;
      try {
        const res = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(q)}`, {
          headers: { accept: "application/json" },
        });
        if (!res.ok || mine !== asked) return;
        show((await res.json()).items || []);
      } catch {
        close();
      }
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      // -1 is the box itself: the walk wraps through it.
      const last = items.length - 1;
      if (event.key === "ArrowDown") mark(active >= last ? -1 : active + 1);
      else mark(active <= -1 ? last : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].url);
    } else if (event.key === "Escape") {
      event.stopPropagation();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
}

// Uploads show a progress bar and keep the page's normal result (the server renders it).
for (const form of document.querySelectorAll("form[data-upload]")) {
  form.addEventListener("submit", (event) => {
    const bar = form.querySelector("progress");
    if (!bar || !window.XMLHttpRequest) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    bar.hidden = false;
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    request.addEventListener("load", () => {
      // Success ends in a redirect: load that page properly, scripts and all. A refusal
      // comes back as the form with its message, shown as it is.
      const target = new URL(form.action, location.href).href;
      if (request.status < 400 && request.responseURL && request.responseURL !== target) {
        location.assign(request.responseURL);
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
    });
    request.addEventListener("error", () => form.submit());
    request.send(new FormData(form));
  });
}

// The lesson player reports time spent, the video position and the video's length, so
// progress and "continue where you left off" survive a closed tab. The server decides
// when a lesson is complete; this only reports what happened.
const player = document.querySelector("[data-player]");
if (player && !player.hasAttribute("data-preview")) {
  const url = `/lessons/${player.dataset.lesson}/progress`;
  const video = player.querySelector("video[data-video]");
  let pending = 0;
  let visibleSince = document.hidden ? null : Date.now();
  let lastTime = null;

  const drainVisible = () => {
    if (!video && visibleSince !== null) {
      const now = Date.now();
      pending += (now - visibleSince) / 1000;
      visibleSince = document.hidden ? null : now;
    }
  };
  const body = () => {
    drainVisible();
    const seconds = Math.min(3600, Math.round(pending));
    pending -= seconds;
    const form = new URLSearchParams({ _csrf: player.dataset.csrf, seconds: String(seconds) });
    if (video) {
      form.set("position", String(Math.floor(video.currentTime || 0)));
      if (Number.isFinite(video.duration) && video.duration > 0) {
        form.set("duration", String(Math.max(1, Math.round(video.duration))));
      }
    }
    return form;
  };
  const show = (state) => {
    if (!state) return;
    for (const el of document.querySelectorAll("[data-percent]")) el.textContent = state.course_progress_percent;
    for (const el of document.querySelectorAll("[data-progress]")) el.value = state.course_progress_percent;
    if (state.completed) player.classList.add("completed");
  };
  const send = () =>
    fetch(url, { method: "POST", body: body(), headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then(show)
      .catch(() => {});

  if (video) {
    // Count only video actually played: small forward steps of the playhead, not seeks.
    video.addEventListener("timeupdate", () => {
      const t = video.currentTime;
      if (lastTime !== null && !video.seeking) {
        const step = t - lastTime;
        if (step > 0 && step < 2 * (video.playbackRate || 1)) pending += step;
      }
      lastTime = t;
    });
    video.addEventListener("seeking", () => { lastTime = null; });
    const resumeAt = Number(player.dataset.position || 0);
    const resume = () => {
      if (resumeAt > 0 && resumeAt < video.duration - 3) video.currentTime = resumeAt;
      send();
    };
    if (video.readyState >= 1) resume();
    else video.addEventListener("loadedmetadata", resume, { once: true });
    video.addEventListener("pause", send);
    video.addEventListener("ended", send);
  } else {
    send();
  }
  setInterval(send, 30000);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      drainVisible();
      visibleSince = null;
      navigator.sendBeacon?.(url, body());
    } else {
      visibleSince = Date.now();
    }
  });
}

// Quiz attempts. Each answer is saved as it is given: the script posts the page's own form
// (which works without it) with only that question's fields. The time left counts down
// from the server's figure and is re-read from the server; this device's clock is never
// trusted. When it runs out the page reloads and the server closes the attempt.
const attempt = document.querySelector("form[data-attempt]");
if (attempt) {
  // Not `attempt.action`: the submit buttons are named "action" and would shadow it.
  const url = new URL(attempt.getAttribute("action"), location.href).href;
  const say = (key) => attempt.dataset[key] || "";
  const state = document.querySelector("[data-save-state]");
  const answered = document.querySelector("[data-answered]");
  const timer = document.querySelector("[data-timer]");
  const queue = new Map(); // question id → { wait, busy, dirty }
  const questions = () => attempt.querySelectorAll("[data-question]");

  const count = () => {
    let n = 0;
    for (const q of questions()) {
      const given = [...q.querySelectorAll("input, textarea, select")].some((el) =>
        el.type === "radio" || el.type === "checkbox" ? el.checked : el.type !== "hidden" && el.value.trim() !== "");
      if (given) n += 1;
      const nav = document.querySelector(`[data-nav="${q.dataset.question}"]`);
      if (nav) {
        nav.classList.toggle("answered", given);
        const word = nav.querySelector("[data-nav-state]");
        if (word) word.textContent = ` · ${given ? attempt.dataset.answeredWord : attempt.dataset.unansweredWord}`;
      }
    }
    if (answered) answered.textContent = String(n);
  };
  const finished = () => location.assign(`${url}?late=1`);
  let base = timer ? Number(timer.dataset.remaining) : null;
  let since = performance.now();
  const sync = (body) => {
    if (!body) return;
    if (body.state === "finished") return finished();
    if (typeof body.remaining_seconds === "number") {
      base = body.remaining_seconds;
      since = performance.now();
    }
  };
  const send = (id) => {
    const entry = queue.get(id);
    if (entry.busy) { entry.dirty = true; return Promise.resolve(); }
    entry.busy = true;
    entry.dirty = false;
    const form = new URLSearchParams({ question: id });
    for (const [name, value] of new FormData(attempt)) {
      if (name === "_csrf" || name === `q.${id}` || name.startsWith(`q.${id}.`)) form.append(name, value);
    }
    if (state) state.textContent = say("saving");
    return fetch(url, { method: "POST", body: form, headers: { Accept: "application/json" }, credentials: "same-origin", keepalive: true })
      .then((r) => {
        if (r.status === 409) return finished();
        const box = attempt.querySelector(`[data-question="${id}"]`);
        const mark = (bad) => {
          for (const el of box.querySelectorAll("input[type=text], select")) el.setAttribute("aria-invalid", String(bad));
        };
        if (r.status === 422) {
          // Not a retryable failure: the answer does not fit (e.g. a word where a number goes).
          return r.json().then((body) => {
            mark(true);
            if (state) state.textContent = body.error?.message || say("failed");
          });
        }
        if (!r.ok) throw new Error(String(r.status));
        return r.json().then((body) => {
          mark(false);
          if (state) state.textContent = say("saved");
          sync(body);
        });
      })
      .catch(() => {
        if (state) state.textContent = say("failed");
        entry.dirty = true;
        return new Promise((resolve) => setTimeout(resolve, 3000));
      })
      .finally(() => {
        entry.busy = false;
        if (entry.dirty) send(id);
      });
  };
  const changed = (event, delay) => {
    const box = event.target.closest("[data-question]");
    if (!box) return;
    const id = box.dataset.question;
    const entry = queue.get(id) || { wait: null, busy: false, dirty: false };
    queue.set(id, entry);
    clearTimeout(entry.wait);
    entry.wait = setTimeout(() => { entry.wait = null; send(id); }, delay);
    count();
  };
  attempt.addEventListener("change", (e) => changed(e, 0));
  attempt.addEventListener("input", (e) => {
    if (e.target.matches("input[type=text], textarea")) changed(e, 800);
  });
  const flush = () => {
    for (const [id, entry] of queue) {
      if (entry.wait) { clearTimeout(entry.wait); entry.wait = null; send(id); }
    }
  };
  window.addEventListener("beforeunload", flush);

  if (timer) {
    const text = timer.querySelector("[data-timer-text]");
    let reloading = false;
    const tick = () => {
      const left = Math.max(0, Math.round(base - (performance.now() - since) / 1000));
      text.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      timer.classList.toggle("low", left <= 60);
      if (left <= 2) flush();
      if (left <= 0 && !reloading) {
        reloading = true;
        // Let the last saves land, then let the server close the attempt.
        setTimeout(() => location.assign(url), 1500);
      }
    };
    const resync = () =>
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : null))
        .then(sync)
        .catch(() => {});
    setInterval(tick, 1000);
    setInterval(resync, 30000);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) resync(); });
    tick();
  }
}

// Forms whose fields depend on a lesson's kind: show only the fields that fit the chosen
// kind (the server renders the same choice, so the page reads right without script).
for (const form of document.querySelectorAll("[data-kind-fields]")) {
  const select = form.querySelector("[data-kind-select]");
  if (!select) continue;
  const apply = () => {
    for (const el of form.querySelectorAll("[data-for]")) {
      el.hidden = !el.dataset.for.split(" ").includes(select.value);
    }
  };
  select.addEventListener("change", apply);
  apply();
}
