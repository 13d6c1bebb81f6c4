// Map of experiences: one marker per located experience, data from json_script elements (CSP: no inline script).
(function () {
  "use strict";
  var element = document.getElementById("experience-map");
  var pointsNode = document.getElementById("experience-points");
  var configNode = document.getElementById("experience-map-config");
  if (!element || !pointsNode || typeof L === "undefined") { return; }
  var points = JSON.parse(pointsNode.textContent);
  var config = configNode ? JSON.parse(configNode.textContent) : {};
  var map = L.map(element, { scrollWheelZoom: false, maxZoom: 18 }).setView([46.6, 2.4], 5);
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 18 }).addTo(map);
  }
  // Several experiences share a town: cluster them when the vendored markercluster plugin is loaded.
  var layer = L.markerClusterGroup ? L.markerClusterGroup({ maxClusterRadius: 30 }) : L.layerGroup();
  layer.addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], { radius: 8, color: "#0b5c4b", weight: 2, fillOpacity: 0.7 });
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    var where = document.createElement("p");
    where.textContent = p.territory;
    box.appendChild(link);
    box.appendChild(where);
    marker.bindPopup(box).addTo(layer);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11 }); }
  else if (bounds.length === 1) { map.setView(bounds[0], 11); }
  element.dataset.markers = String(points.length);
})();
