/* QPV lookup page: answers the form (or the "use my position" button) with the public API, without reloading.
 * Without JavaScript the same form is answered by the server. Texts come from data-label-* attributes (translated
 * by the page); QPV names are inserted as text, never as HTML. */
(function () {
  "use strict";

  var form = document.querySelector("[data-locate-form]");
  var result = document.querySelector("[data-locate-result]");
  if (!form || !result || !window.fetch) { return; }
  var apiUrl = form.getAttribute("data-api-url");
  var detailPrefix = form.getAttribute("action").replace(/localiser\/$/, "qpv/");

  function label(name) { return result.getAttribute("data-label-" + name) || ""; }

  function say(text) {
    result.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    result.appendChild(paragraph);
  }

  function qpvLink(qpv) {
    var link = document.createElement("a");
    link.href = detailPrefix + encodeURIComponent(qpv.code) + "/";
    link.textContent = qpv.name || qpv.code;
    return link;
  }

  // A translated sentence with {name} (replaced by a link) and {distance} (a number in the page's language).
  function nearestSentence(nearest) {
    var distance = new Intl.NumberFormat(document.documentElement.lang || undefined, { maximumFractionDigits: 0 })
      .format(nearest.distance_m);
    var parts = label("nearest").replace("{distance}", distance).split("{name}");
    var paragraph = document.createElement("p");
    paragraph.appendChild(document.createTextNode(parts[0]));
    paragraph.appendChild(qpvLink(nearest.qpv));
    paragraph.appendChild(document.createTextNode(parts.slice(1).join("")));
    return paragraph;
  }

  // The answer of GET /api/v1/qpv/locate: {inside, qpv: {code, name, communes}, nearest: {qpv, distance_m}}.
  function show(data) {
    if (data.qpv) {
      say(label("inside"));
      var list = document.createElement("ul");
      var entry = document.createElement("li");
      entry.appendChild(qpvLink(data.qpv));
      var communes = (data.qpv.communes || []).map(function (commune) { return commune.name || commune.code; });
      entry.appendChild(document.createTextNode(
        " (" + data.qpv.code + ")" + (communes.length ? " — " + communes.join(", ") : "")
      ));
      list.appendChild(entry);
      result.appendChild(list);
      return;
    }
    say(label("outside"));
    if (data.nearest && data.nearest.qpv) { result.appendChild(nearestSentence(data.nearest)); }
  }

  function lookup(lon, lat) {
    say(label("searching"));
    var url = apiUrl + "?lon=" + encodeURIComponent(lon) + "&lat=" + encodeURIComponent(lat);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(show)
      .catch(function () { say(label("error")); });
  }

  function decimal(value) { return String(value).trim().replace(",", "."); }

  form.addEventListener("submit", function (event) {
    var lon = decimal(form.elements.lon.value);
    var lat = decimal(form.elements.lat.value);
    if (!isFinite(parseFloat(lon)) || !isFinite(parseFloat(lat))) { return; } // let the server explain the error
    event.preventDefault();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", form.getAttribute("action") + "?lon=" + lon + "&lat=" + lat);
    }
    lookup(lon, lat);
  });

  var geolocation = document.querySelector("[data-locate-geolocation]");
  if (geolocation && navigator.geolocation) {
    geolocation.hidden = false;
    geolocation.querySelector("[data-locate-me]").addEventListener("click", function () {
      say(label("searching"));
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var lon = position.coords.longitude.toFixed(5);
          var lat = position.coords.latitude.toFixed(5);
          form.elements.lon.value = lon;
          form.elements.lat.value = lat;
          lookup(lon, lat);
        },
        function () { say(label("denied")); },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
      );
    });
  }
})();
