/* Times in the reader's own time zone. The built page says "26 Aug 2024, 16:02 UTC" (the same
   on every build); here a <time data-hub-time="full"> becomes "3 h ago" while it is under two
   days old, else the local date and time. The UTC original stays in the tooltip. Dates without
   a time are left alone: moving a bare date across time zones would change the day. */
(function () {
  "use strict";
  var HOUR = 3600e3;
  var format = new Intl.DateTimeFormat(undefined, {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"
  });

  function ago(ms) {
    if (ms < HOUR) return Math.max(1, Math.round(ms / 60e3)) + " min ago";
    if (ms < 48 * HOUR) return Math.round(ms / HOUR) + " h ago";
    return "";
  }

  function localise(root) {
    var now = Date.now();
    var times = root.querySelectorAll("time[data-hub-time=full]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) continue;
      if (!el.title) el.title = el.textContent;
      var age = now - when.getTime();
      el.textContent = (age >= 0 && ago(age)) || format.format(when);
    }
  }

  localise(document);
})();
