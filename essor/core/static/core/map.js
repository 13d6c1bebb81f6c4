/* essor maps: draws every element carrying data-map-config="<id of a json_script element>".
 *
 * The JSON config (built by the page's view) may hold:
 *   bounds        [[south, west], [north, east]] to show first
 *   contours      a GeoJSON FeatureCollection of QPV contours (or points), drawn as is
 *   contours_url  the same, fetched from this address
 *   points_url    GeoJSON points (e.g. establishments), clustered when many
 *   tiles         {url, attribution} of an optional base map; without it the map has a plain background
 *   labels        translated texts: open, error, zoomIn, zoomOut
 * Feature properties understood: name, code, url, generation (2024 or 2015), highlight (true for the page's own QPV).
 *
 * No inline script or style is needed (CSP): Leaflet only sets DOM style properties from this file.
 * The map is a complement: every page lists in text what the map draws.
 */
(function () {
  "use strict";

  var COLOURS = { 2024: "#b3186f", 2015: "#1d4ed8", point: "#0b5c4b" };
  var CLUSTER_ABOVE = 80;

  function featureStyle(feature) {
    var p = feature.properties || {};
    var colour = p.generation === 2015 ? COLOURS[2015] : COLOURS[2024];
    return {
      color: colour,
      weight: p.highlight ? 3 : 2,
      opacity: 1,
      fillColor: colour,
      fillOpacity: p.highlight ? 0.3 : 0.18,
      dashArray: p.generation === 2015 ? "6 4" : null,
    };
  }

  // Text content only: names come from public data and are never parsed as HTML.
  function popupContent(properties, labels) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.name || properties.code || "";
    box.appendChild(title);
    if (properties.code && properties.name) {
      box.appendChild(document.createTextNode(" (" + properties.code + ")"));
    }
    if (properties.url) {
      var link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.link_label || labels.open || properties.url;
      box.appendChild(document.createElement("br"));
      box.appendChild(link);
    }
    return box;
  }

  function bindFeature(feature, layer, labels) {
    var p = feature.properties || {};
    if (p.name) {
      layer.bindTooltip(document.createTextNode(p.name), { sticky: true });
    }
    layer.bindPopup(popupContent(p, labels));
  }

  // Leaflet makes every shape with a tooltip, and every cluster icon, a tab stop with no name: dozens of
  // silent stops between the page's links. The text beside the map lists the same features with their links,
  // so shapes and icons stay mouse-only; the keyboard gets the map itself (arrows, +/-) and the zoom buttons.
  function keepOutOfTabOrder(layer) {
    var element = layer.getElement ? layer.getElement() : null;
    if (element) {
      element.setAttribute("tabindex", "-1");
      element.setAttribute("aria-hidden", "true");
    }
  }

  function geoJsonLayer(data, labels, pointColour) {
    return L.geoJSON(data, {
      style: featureStyle,
      pointToLayer: function (feature, latlng) {
        var p = feature.properties || {};
        var colour = p.generation ? featureStyle(feature).color : pointColour;
        return L.circleMarker(latlng, {
          radius: 6, color: "#ffffff", weight: 1.5, fillColor: colour, fillOpacity: 0.9,
        });
      },
      onEachFeature: function (feature, layer) { bindFeature(feature, layer, labels); },
    });
  }

  function addLayer(map, layer, count) {
    if (count > CLUSTER_ABOVE && typeof L.markerClusterGroup === "function" && hasOnlyPoints(layer)) {
      var cluster = L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true });
      cluster.addLayer(layer);
      map.addLayer(cluster);
      return cluster;
    }
    layer.addTo(map);
    return layer;
  }

  function hasOnlyPoints(layer) {
    var only = true;
    layer.eachLayer(function (child) { if (!(child instanceof L.CircleMarker)) { only = false; } });
    return only;
  }

  function countFeatures(data) {
    return data && data.features ? data.features.length : 0;
  }

  function showError(element, labels) {
    var message = document.createElement("p");
    message.className = "map-error";
    message.setAttribute("role", "status");
    message.textContent = labels.error || "The map could not be loaded.";
    element.insertAdjacentElement("afterend", message);
  }

  function fetchJson(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status + " for " + url); }
        return response.json();
      });
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-map-config"));
    if (!source || typeof L === "undefined") { return; }
    var config = JSON.parse(source.textContent);
    var labels = config.labels || {};
    var map = L.map(element, {
      zoomControl: false,
      minZoom: 2,
      maxZoom: 18, // needed by the clusters; without tiles, beyond that is only empty background
      attributionControl: Boolean(config.tiles && config.tiles.url),
      keyboard: true,
      scrollWheelZoom: false, // the page scrolls; zoom with the buttons, the keyboard (+/-) or a double click
    });
    map.on("layeradd", function (event) { keepOutOfTabOrder(event.layer); });
    L.control.zoom({
      zoomInTitle: labels.zoomIn || "Zoom in",
      zoomOutTitle: labels.zoomOut || "Zoom out",
    }).addTo(map);
    if (config.tiles && config.tiles.url) {
      L.tileLayer(config.tiles.url, {
        attribution: config.tiles.attribution || "", maxZoom: 19, crossOrigin: false,
      }).addTo(map);
      map.attributionControl.setPrefix(false);
    }
    if (config.bounds) {
      map.fitBounds(config.bounds, { maxZoom: 16, padding: [8, 8] });
    } else {
      map.setView([46.6, 2.4], 5);
    }
    element.classList.add("map-ready");

    var pending = [];
    if (config.contours) {
      addLayer(map, geoJsonLayer(config.contours, labels, COLOURS.point), countFeatures(config.contours));
    }
    if (config.contours_url) {
      pending.push(fetchJson(config.contours_url).then(function (data) {
        addLayer(map, geoJsonLayer(data, labels, COLOURS.point), countFeatures(data));
      }));
    }
    if (config.points_url) {
      pending.push(fetchJson(config.points_url).then(function (data) {
        addLayer(map, geoJsonLayer(data, labels, COLOURS.point), countFeatures(data));
      }));
    }
    Promise.all(pending).then(
      function () { element.setAttribute("data-map-loaded", "true"); },
      function (error) {
        showError(element, labels);
        if (window.console) { window.console.error(error); }
      }
    );
  }

  function init() {
    var elements = document.querySelectorAll("[data-map-config]");
    for (var i = 0; i < elements.length; i += 1) {
      try {
        draw(elements[i]);
      } catch (error) {
        showError(elements[i], {});
        if (window.console) { window.console.error(error); }
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
