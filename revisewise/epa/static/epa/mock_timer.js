// The mock test's countdown. The server stores the deadline and sends the seconds left when the
// page loads; this only shows them counting down and submits the form at zero. The server
// finalises the mock at its deadline whether or not this runs.
(function () {
  "use strict";
  var timer = document.getElementById("mock-timer");
  var form = document.getElementById("mock-form");
  if (!timer || !form) {
    return;
  }
  var announcer = document.getElementById("mock-announcer");
  var end = Date.now() + Number(timer.dataset.remaining) * 1000;
  var submitted = false;
  var announced = {};

  function format(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function announce(seconds, text) {
    if (announcer && !announced[seconds]) {
      announced[seconds] = true;
      announcer.textContent = text;
    }
  }

  function tick() {
    var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
    timer.textContent = format(left);
    if (left === 300) {
      announce(300, "Five minutes left.");
    } else if (left === 60) {
      announce(60, "One minute left.");
    }
    if (left <= 0) {
      if (!submitted) {
        submitted = true;
        announce(0, "Time is up. Your test is being submitted.");
        var button = document.getElementById("mock-submit");
        if (form.requestSubmit && button) {
          form.requestSubmit(button);
        } else {
          form.submit();
        }
      }
      return;
    }
    window.setTimeout(tick, 250);
  }

  // Show why an answer was not saved (a late answer, a finished mock) instead of dropping it.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 404 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("mock-closed", function () {
    if (!submitted) {
      submitted = true;
      window.setTimeout(function () {
        window.location.assign(timer.dataset.resultUrl);
      }, 1500);
    }
  });
  tick();
})();
