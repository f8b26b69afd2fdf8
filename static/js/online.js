/* Intervisie: the online parts of the room (sessions_app/online.py), beside room.js.
 *
 *  - shows the hand button that fits this person (raise / lower / "I am done"), from the public
 *    queue in the pushed #room-floor and this page's own member id: the server renders the floor
 *    once per audience, never per person;
 *  - the sound toggle of online meetings (the time-up chime on every screen), kept per room;
 *  - keys: B switches between the facilitator's room and the shared view, F makes the shared
 *    view full screen, Escape leaves it.
 */
(function () {
  "use strict";

  var root = null;

  function syncHand() {
    var floor = document.getElementById("room-floor");
    if (!floor || !root) return;
    var me = root.getAttribute("data-member") || "";
    var queue = (floor.getAttribute("data-queue") || "").split(" ").filter(Boolean);
    var state = "idle";
    if (me && floor.getAttribute("data-speaker") === me) state = "speaking";
    else if (me && queue.indexOf(me) >= 0) state = "raised";
    floor.querySelectorAll("[data-hand-state]").forEach(function (el) {
      el.hidden = el.getAttribute("data-hand-state") !== state;
    });
    var place = floor.querySelector("[data-hand-place]");
    var label = place ? place.closest("[data-place-label]") : null;
    if (place && label && state === "raised") {
      place.textContent = label.getAttribute("data-place-label").replace("{n}", String(queue.indexOf(me) + 1));
    }
  }

  /* ---- Sound ------------------------------------------------------------------------------ */

  function soundKey() { return "intervisie-sound-" + (root.getAttribute("data-room") || ""); }

  function applySound(on) {
    var toggle = document.querySelector("[data-sound-toggle]");
    if (!toggle) return;
    if (on) root.setAttribute("data-chime", "1"); else root.removeAttribute("data-chime");
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
    var label = toggle.querySelector("[data-sound-label]");
    if (label) label.textContent = toggle.getAttribute(on ? "data-on-label" : "data-off-label");
    toggle.querySelectorAll("[data-sound-icon]").forEach(function (icon) {
      icon.hidden = icon.getAttribute("data-sound-icon") !== (on ? "on" : "off");
    });
  }

  function savedSound() {
    try { return window.localStorage.getItem(soundKey()); } catch (e) { return null; /* private mode */ }
  }

  function initSound() {
    if (!document.querySelector("[data-sound-toggle]")) return;
    var saved = savedSound();
    // Unless this person chose: on where the page asks for the chime (online, not in the room).
    applySound(saved === null ? root.hasAttribute("data-chime") : saved === "on");
  }

  function toggleSound() {
    var on = !root.hasAttribute("data-chime");
    applySound(on);
    try { window.localStorage.setItem(soundKey(), on ? "on" : "off"); } catch (e) { /* ignore */ }
  }

  /* ---- Keys ------------------------------------------------------------------------------- */

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function onKey(evt) {
    if (evt.altKey || evt.ctrlKey || evt.metaKey || typing(evt.target)) return;
    var key = evt.key.toLowerCase();
    var role = root.getAttribute("data-role");
    if (role === "facilitator" && key === "b" && root.getAttribute("data-screen-url")) {
      window.location.href = root.getAttribute("data-screen-url");
    } else if (role === "screen" && (key === "b" || key === "escape")) {
      if (key === "escape" && document.fullscreenElement) return; // the browser leaves full screen
      window.location.href = root.getAttribute("data-room-url");
    } else if (role === "screen" && key === "f" && document.documentElement.requestFullscreen) {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(function () { /* refused */ });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("room-root");
    if (!root) return;
    ["htmx:wsAfterMessage", "htmx:afterSettle", "htmx:afterRequest"].forEach(function (name) {
      document.body.addEventListener(name, syncHand);
    });
    document.addEventListener("click", function (evt) {
      if (evt.target.closest("[data-sound-toggle]")) toggleSound();
      // Hybrid: phones in the room stay silent (the laptop chimes for the room), unless the
      // person chose otherwise.
      var place = evt.target.closest("[data-place-choice]");
      if (place && !savedSound()) applySound(place.getAttribute("data-place-choice") !== "room");
    });
    document.addEventListener("keydown", onKey);
    initSound();
    syncHand();
  });
})();
