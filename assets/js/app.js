// Mahir's small progressive enhancements. Every page works without this file.

// The language switch submits itself when a language is picked; its button is then redundant.
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
for (const button of document.querySelectorAll("[data-hide-with-js]")) {
  button.hidden = true;
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
