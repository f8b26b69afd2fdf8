/* Intervisie session room: the small client side of a server-driven room.
 *
 * The server pushes HTML fragments over the websocket (htmx ws extension). This script only:
 *  - drops pushes older than what the screen shows (every push carries the room revision);
 *  - counts the step timer down locally from the server's absolute deadline, corrected by a
 *    measured clock offset, so every screen agrees;
 *  - signals the end of a step (vibration on phones, a soft chime on the laptop);
 *  - keeps phones awake (Screen Wake Lock) and reconnects after network or server trouble.
 */
(function () {
  "use strict";

  var root = null;
  var clockOffset = 0; // server time minus local time, in ms
  var signalled = {}; // deadline -> true once the step-end signal played
  var audio = null;
  var wakeLock = null;
  var outageRetries = 0; // sockets turned away (1013) since the last snapshot: backoff grows

  function $(sel, ctx) { return (ctx || document).querySelector(sel); }
  function $all(sel, ctx) { return Array.prototype.slice.call((ctx || document).querySelectorAll(sel)); }

  function shownSeq() {
    var meta = document.getElementById("room-meta");
    return meta ? parseInt(meta.getAttribute("data-seq") || "0", 10) : 0;
  }

  /* ---- htmx configuration -------------------------------------------------------------- */

  function configureHtmx() {
    // Reconnect quickly but never all at once: full jitter, capped at 3 s.
    // While the database is away the server accepts, says so and closes (1013), which resets
    // htmx's own count: ours keeps growing, so phones back off to ~10 s between tries.
    htmx.config.wsReconnectDelay = function (retryCount) {
      if (outageRetries > 0) {
        return 1000 + Math.random() * Math.min(9000, 1000 * Math.pow(2, outageRetries - 1));
      }
      var cap = Math.min(3000, 500 * Math.pow(2, retryCount));
      return 250 + Math.random() * cap;
    };
    // Refusals (stale revision, validation) carry fresh fragments and a message: swap them.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(409|422|429)", swap: true, error: false },
      // The database is away: the answer is a notice (out of band); the screen stays as it is.
      { code: "503", swap: false, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  /* ---- Pushes -------------------------------------------------------------------------- */

  function shownOwnSeq() {
    var mine = document.getElementById("my-interaction");
    return mine ? parseInt(mine.getAttribute("data-own-seq") || "0", 10) : 0;
  }

  function onBeforeMessage(evt) {
    var message = evt.detail.message || "";
    var match = /data-seq="(\d+)"/.exec(message);
    if (match && parseInt(match[1], 10) < shownSeq()) {
      evt.preventDefault(); // older than what we show: a late push after a newer one
      return;
    }
    // A person's own view comes in a message of its own (no room seq), stamped with the seq of
    // the state it shows: one older than the view on screen is late, and dropped.
    var own = match ? null : /data-own-seq="(\d+)"/.exec(message);
    if (own && parseInt(own[1], 10) < shownOwnSeq()) evt.preventDefault();
  }

  function afterSwap() {
    var meta = document.getElementById("room-meta");
    if (!meta) return;
    if (meta.getAttribute("data-reload")) {
      window.location.reload();
      return;
    }
    var rev = meta.getAttribute("data-revision");
    if (rev) $all("[data-live-revision]").forEach(function (input) { input.value = rev; });
    var run = meta.getAttribute("data-step-run");
    if (run) $all("[data-live-step-run]").forEach(function (input) { input.value = run; });
    var step = (meta.getAttribute("data-status") || "") + ":" + (run || "");
    if (shownStep !== null && step !== shownStep) onStepChange();
    shownStep = step;
    followMyTurn();
    tick();
  }

  /* ---- Step changes and turns ---------------------------------------------------------- */

  var shownStep = null; // status and step run the screen shows
  var hadTurn = false;

  // A new step starts at its top: the old scroll position (deep in the last step's board)
  // would hide it, and a message about the last step no longer applies. (A response that brings
  // the new step with a message of its own, such as "your screen was behind", keeps that one.)
  function onStepChange() {
    var toast = document.getElementById("toast");
    // A toast already stamped was shown before this swap (onToastSwap runs after this).
    if (toast && !toast.hidden && toast.hasAttribute("data-shown-at")) toast.hidden = true;
    window.scrollTo(0, 0);
  }

  // When it becomes your turn, your actions come on screen, wherever you had scrolled to.
  function followMyTurn() {
    var mine = document.getElementById("my-interaction");
    var turn = mine ? $("[data-my-turn], [data-my-share=turn]", mine) : null;
    if (turn && !hadTurn) mine.scrollIntoView({ block: "nearest" });
    hadTurn = !!turn;
  }

  // A push can replace a form (say, "Next" or "Reveal") before that form's own response arrives;
  // htmx would then look for the response's fragments inside the detached form and drop them.
  // Apply them against the document instead. Events of a detached element no longer bubble to
  // the body, so the listener sits on the element itself, from the moment its request starts.
  function onBeforeRequest(evt) {
    var elt = evt.detail.elt;
    if (elt && elt.addEventListener) elt.addEventListener("htmx:beforeSwap", onBeforeSwap, { once: true });
  }

  function onBeforeSwap(evt) {
    var elt = evt.detail.elt;
    if (!elt || elt.isConnected || !evt.detail.shouldSwap || !evt.detail.serverResponse) return;
    evt.detail.shouldSwap = false;
    htmx.swap(document.body, evt.detail.serverResponse, { swapStyle: "none" });
    afterSwap();
    onToastSwap();
  }

  /* ---- Clock offset and countdown ------------------------------------------------------ */

  function measureOffset(samples) {
    var url = root.getAttribute("data-time-url");
    var best = null;
    var n = 0;
    function once() {
      var t0 = Date.now();
      fetch(url, { cache: "no-store", credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var t1 = Date.now();
          var rtt = t1 - t0;
          // The sample with the shortest round trip has the least uncertainty.
          if (best === null || rtt < best.rtt) {
            best = { rtt: rtt, offset: data.now + rtt / 2 - t1 };
            clockOffset = best.offset;
          }
        })
        .catch(function () { /* keep the previous estimate */ })
        .then(function () {
          n += 1;
          if (n < samples) setTimeout(once, 150);
          else tick();
        });
    }
    once();
  }

  function serverNow() { return Date.now() + clockOffset; }

  function format(seconds) {
    var over = seconds < 0;
    var total = over ? Math.floor(-seconds) : Math.ceil(seconds);
    var m = Math.floor(total / 60);
    var s = total % 60;
    return (over ? "-" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var card = document.getElementById("room-timer");
    if (!card || card.getAttribute("data-status") !== "running") return;
    var display = $("[data-timer]", card);
    var bar = $("[data-timer-bar]", card);
    var deadline = card.getAttribute("data-deadline");
    var paused = card.getAttribute("data-paused-remaining");
    var planned = parseFloat(card.getAttribute("data-planned") || "0");
    var remaining;
    if (paused !== null && paused !== "") {
      remaining = parseFloat(paused);
    } else if (deadline) {
      remaining = (parseInt(deadline, 10) - serverNow()) / 1000;
      if (remaining <= 0 && remaining > -5 && !signalled[deadline]) {
        signalled[deadline] = true;
        stepEndSignal();
      } else if (remaining <= 0) {
        signalled[deadline] = true;
      }
    } else {
      return;
    }
    if (display) {
      display.textContent = format(remaining);
      display.classList.toggle("over", remaining < 0);
    }
    if (bar && planned > 0) {
      bar.style.width = Math.max(0, Math.min(100, (remaining / planned) * 100)) + "%";
    }
  }

  /* ---- Step-end signal ----------------------------------------------------------------- */

  function unlockAudio() {
    if (audio || !window.AudioContext) return;
    try { audio = new AudioContext(); } catch (e) { audio = null; }
  }

  function chime() {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume();
    var now = audio.currentTime;
    [660, 880].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.25);
      gain.gain.exponentialRampToValueAtTime(0.18, now + i * 0.25 + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.25 + 1.2);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.25);
      osc.stop(now + i * 0.25 + 1.3);
    });
  }

  function stepEndSignal() {
    if (root.getAttribute("data-vibrate") && navigator.vibrate) {
      try { navigator.vibrate([120, 80, 120]); } catch (e) { /* not allowed without a gesture */ }
    }
    if (root.getAttribute("data-chime")) chime();
    document.dispatchEvent(new CustomEvent("intervisie:step-time-up"));
  }

  /* ---- Wake lock ----------------------------------------------------------------------- */

  function keepAwake() {
    if (!root.getAttribute("data-wake-lock") || !("wakeLock" in navigator)) return;
    if (document.visibilityState !== "visible" || wakeLock) return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { /* refused (battery saver): the room still works */ });
  }

  /* ---- Connection state ---------------------------------------------------------------- */

  function hide(id) {
    var el = document.getElementById(id);
    if (el) el.hidden = true;
  }

  // A push or snapshot arrived: the channel layer and the database both answer again.
  function onSocketMessage(evt) {
    var message = (evt.detail && evt.detail.message) || "";
    if (message.indexOf('id="room-meta"') === -1) return;
    outageRetries = 0;
    hide("push-notice");
    hide("db-notice");
  }

  function onRequestDone(evt) {
    var xhr = evt.detail.xhr;
    if (!xhr) return;
    if (xhr.status === 503) {
      // Only the out-of-band notice: nothing else on screen changes, the typed text stays.
      htmx.swap(document.body, xhr.responseText || "", { swapStyle: "none" });
    } else if (xhr.status >= 200 && xhr.status < 300) {
      hide("db-notice");
      if (xhr.status === 204) hide("push-notice"); // its push went out
    }
  }

  var bannerTimer = null;
  function showBanner(show, delay) {
    clearTimeout(bannerTimer);
    var banner = $("[data-conn-banner]");
    if (!banner) return;
    if (show && delay) {
      bannerTimer = setTimeout(function () { banner.hidden = false; }, delay);
    } else {
      banner.hidden = !show;
    }
  }

  function onClose(evt) {
    var code = evt.detail && evt.detail.event ? evt.detail.event.code : 0;
    if (code === 4403) {
      showBanner(false);
      window.location.reload(); // the page explains why this room is closed to you
      return;
    }
    if (code === 4409) {
      // Newer windows of this person took this one's place; reconnecting would close theirs.
      showBanner(false);
      var replaced = $("[data-replaced-banner]");
      if (replaced) replaced.hidden = false;
      return;
    }
    if (code === 1013) {
      outageRetries += 1; // the server sent its "even geduld" notice first; that says it all
      return;
    }
    if (code === 4013) { // the same, from a server that cannot send 1013: htmx will not retry
      setTimeout(function () { window.location.reload(); }, 5000 + Math.random() * 5000);
      return;
    }
    // 1012: the server restarts (a deploy) and the socket moves to another process within a
    // second or two; say "reconnecting" only if that takes longer.
    showBanner(true, code === 1012 ? 2000 : 0);
    // htmx reconnects by itself after abnormal closes; after a clean close from a restarting
    // server it does not, so come back fresh (the page re-renders from the database).
    if (code === 1000 || code === 1001) {
      setTimeout(function () { window.location.reload(); }, 500 + Math.random() * 2500);
    }
  }

  /* ---- Toasts and dialogs -------------------------------------------------------------- */

  // A message lives TOAST_MS from the moment it appears. Each response that carries a message
  // brings a new #toast element, which gets a clock of its own; every other swap (pushes from
  // other screens, other parts of this page) leaves that clock alone.
  var TOAST_MS = 6000;
  function onToastSwap() {
    var toast = document.getElementById("toast");
    if (!toast || toast.hidden || toast.hasAttribute("data-shown-at")) return;
    toast.setAttribute("data-shown-at", String(Date.now()));
    setTimeout(function () { toast.hidden = true; }, TOAST_MS);
  }

  function onClick(evt) {
    unlockAudio();
    var opener = evt.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && dialog.showModal) dialog.showModal();
    }
    var dismiss = evt.target.closest("[data-dismiss-dialog]");
    if (dismiss) {
      var d = dismiss.closest("dialog");
      if (d) d.close();
    }
  }

  function onAfterRequest(evt) {
    var form = evt.detail.elt && evt.detail.elt.closest ? evt.detail.elt.closest("form[data-close-dialog]") : null;
    if (form && evt.detail.successful) {
      form.reset();
      var d = form.closest("dialog");
      if (d) d.close();
    }
  }

  /* ---- Start --------------------------------------------------------------------------- */

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("room-root");
    if (!root || !window.htmx) return;
    configureHtmx();
    document.body.addEventListener("htmx:wsBeforeMessage", onBeforeMessage);
    document.body.addEventListener("htmx:beforeRequest", onBeforeRequest);
    document.body.addEventListener("htmx:wsAfterMessage", function (evt) { onSocketMessage(evt); afterSwap(); onToastSwap(); });
    document.body.addEventListener("htmx:afterSettle", function () { afterSwap(); onToastSwap(); });
    document.body.addEventListener("htmx:afterRequest", function (evt) { onRequestDone(evt); onAfterRequest(evt); afterSwap(); onToastSwap(); });
    document.body.addEventListener("htmx:wsOpen", function () { showBanner(false); });
    document.body.addEventListener("htmx:wsClose", onClose);
    document.addEventListener("click", onClick);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        keepAwake();
        measureOffset(3); // hidden tabs are throttled and clocks drift: measure again
      }
    });
    var meta = document.getElementById("room-meta");
    if (meta) shownStep = (meta.getAttribute("data-status") || "") + ":" + (meta.getAttribute("data-step-run") || "");
    // Opened (or reloaded) while it is your turn: your actions on screen, as when it becomes so.
    followMyTurn();
    measureOffset(5);
    keepAwake();
    setInterval(tick, 250);
    tick();
  });
})();
