// EasyGeoIP: small enhancements to a page that works without JavaScript.
(function () {
  "use strict";

  // Flags are emoji: hide them where the system has no emoji font (they would show as two boxes).
  function canDrawFlags() {
    try {
      var canvas = document.createElement("canvas");
      canvas.width = canvas.height = 16;
      var ctx = canvas.getContext("2d");
      ctx.textBaseline = "top";
      ctx.font = "16px sans-serif";
      ctx.fillText("\uD83C\uDDEC\uD83C\uDDE7", 0, 0);   // GB
      var data = ctx.getImageData(0, 0, 16, 16).data;
      for (var i = 0; i < data.length; i += 4) {
        // A color emoji has pixels that are not grey; fallback glyphs are drawn in one grey/black color.
        if (data[i + 3] && (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2])) return true;
      }
    } catch (e) { /* no canvas: keep the default */ }
    return false;
  }
  if (canDrawFlags()) document.documentElement.classList.add("has-flags");

  // Local clocks: tick once a second in each result's own time zone.
  var clocks = document.querySelectorAll("time.clock[data-zone]");
  var dates = document.querySelectorAll(".date[data-zone]");
  function tick() {
    var now = new Date();
    clocks.forEach(function (el) {
      try {
        el.textContent = now.toLocaleTimeString([], { timeZone: el.dataset.zone, hourCycle: "h23",
                                                       hour: "2-digit", minute: "2-digit", second: "2-digit" });
      } catch (e) { /* unknown zone for this browser: keep the server's time */ }
    });
    dates.forEach(function (el) {
      try {
        el.textContent = now.toLocaleDateString([], { timeZone: el.dataset.zone, weekday: "short", day: "numeric", month: "short" });
      } catch (e) { /* keep the server's date */ }
    });
  }
  if (clocks.length) { tick(); setInterval(tick, 1000); }
})();
