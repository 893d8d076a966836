// The ballot box's first step (appraisals/templates/appraisals/ballot_code.html).
// A slip's QR code opens /public/ballot/#c=CODE: browsers never send the part after "#" to
// the server, so the code reaches no access log and no Referer header. This script moves it
// into the code form, takes it out of the address bar and history, and sends the form (a
// POST, whose body is not logged). Without JavaScript the form is filled in by hand.
(function () {
  "use strict";
  var match = /^#(?:.*&)?c=([^&]*)/.exec(window.location.hash);
  if (!match) {
    return;
  }
  var code;
  try {
    code = decodeURIComponent(match[1].replace(/\+/g, " "));
  } catch (e) {
    code = "";
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var form = document.querySelector("form[data-ballot-code]");
  var input = form && form.querySelector("input[name=code]");
  if (!input || !code || input.value) {
    return;
  }
  input.value = code.slice(0, 30);
  form.submit();
})();
