// Maps with the vendored Leaflet: a business's point on its page ([data-map-point]) and an area's
// businesses on the registry's map ([data-map-area], clustered by Leaflet.markercluster). The element's
// data attributes give the tiles (MAP_TILE_URL), the marker images and, translated, every message.
(() => {
  "use strict";

  const INDONESIA = [
    [-11, 94],
    [6, 142],
  ];
  const numbers = new Intl.NumberFormat("id-ID"); // Indonesian digit grouping in both languages

  function tileLayer(element) {
    return L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution,
      maxZoom: Number(element.dataset.tileMaxZoom) || 19,
    });
  }

  // Leaflet guesses its images' folder from leaflet.css's address, which hashed file names break.
  function markerIcon(element) {
    return L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIcon2x,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function showPoint(element) {
    const point = [Number(element.dataset.lat), Number(element.dataset.lon)];
    // On a touch screen one finger scrolls the page past the map; two move the map.
    const map = L.map(element, { scrollWheelZoom: false, dragging: !L.Browser.mobile }).setView(point, 16);
    tileLayer(element).addTo(map);
    L.marker(point, { icon: markerIcon(element), title: element.dataset.name, alt: element.dataset.name }).addTo(map);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  function clamp(value, low, high) {
    return Math.min(high, Math.max(low, value));
  }

  function showArea(element) {
    const map = L.map(element).fitBounds(INDONESIA);
    tileLayer(element).addTo(map);
    const icon = markerIcon(element);
    const clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    map.addLayer(clusters);
    const status = document.getElementById(element.dataset.status);
    const say = (text) => {
      status.textContent = text;
    };
    let request = null;
    let complete = null; // a box whose every point is loaded: moving inside it loads nothing
    let placed = false;
    let locatedAt = null; // the accuracy of the device's position, said once the points around it are loaded
    let shown = ""; // what the status said of the points last loaded
    let outlines = null; // the districts' outlines, when the office loaded them ([data-boundaries-url])
    let pointCount = 0; // of the last load; the clusters, filled in chunks, may not hold them all yet

    function fitOutlines() {
      if (outlines && !pointCount) map.fitBounds(outlines.getBounds(), { padding: [10, 10] });
    }

    async function drawOutlines() {
      let data;
      try {
        const response = await fetch(element.dataset.boundariesUrl, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        data = await response.json();
      } catch (error) {
        return; // the outlines help to read the map; the points are the map
      }
      if (!data.features || !data.features.length) return;
      const sources = [...new Set(data.features.map((feature) => feature.properties.source))].join("; ");
      outlines = L.geoJSON(data, {
        attribution: sources,
        style: { color: "#4b5563", weight: 1.5, fillOpacity: 0.03 },
        onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name, { sticky: true }),
      }).addTo(map);
      if (placed) fitOutlines();
    }

    function popup(id, name) {
      const box = document.createElement("div");
      const title = document.createElement("strong");
      title.textContent = name;
      const link = document.createElement("a");
      link.href = element.dataset.detailUrl.replace(/\/0\/$/, `/${id}/`);
      link.textContent = element.dataset.msgOpen;
      box.append(title, document.createElement("br"), link);
      return box;
    }

    function sayLocated() {
      if (locatedAt === null) return;
      say(`${fill(element.dataset.msgHere, { metres: locatedAt })} ${shown}`);
      locatedAt = null;
    }

    async function load() {
      const url = new URL(element.dataset.pointsUrl, window.location.href);
      const view = map.getBounds();
      if (placed) {
        if (complete && complete.contains(view)) {
          sayLocated(); // every point here is loaded already
          return;
        }
        url.searchParams.set("south", clamp(view.getSouth(), -90, 90).toFixed(6));
        url.searchParams.set("west", clamp(view.getWest(), -180, 180).toFixed(6));
        url.searchParams.set("north", clamp(view.getNorth(), -90, 90).toFixed(6));
        url.searchParams.set("east", clamp(view.getEast(), -180, 180).toFixed(6));
      }
      if (request) request.abort();
      request = new AbortController();
      say(element.dataset.msgLoading);
      let data;
      try {
        const response = await fetch(url, { signal: request.signal, headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        data = await response.json();
      } catch (error) {
        if (error.name !== "AbortError") say(element.dataset.msgFailed);
        return;
      }
      const markers = data.points.map(([id, latitude, longitude, name]) =>
        L.marker([latitude, longitude], { icon, title: name, alt: name }).bindPopup(() => popup(id, name)),
      );
      clusters.clearLayers();
      clusters.addLayers(markers);
      pointCount = markers.length;
      const count = numbers.format(markers.length);
      if (!markers.length) say(element.dataset.msgEmpty);
      else if (data.truncated) say(fill(element.dataset.msgTruncated, { count, limit: numbers.format(data.limit) }));
      else say(fill(element.dataset.msgShown, { count }));
      shown = status.textContent;
      sayLocated();
      complete = data.truncated ? null : placed ? view : L.latLngBounds(INDONESIA);
      if (!placed) {
        placed = true; // moving the map from now on loads the points of what it shows
        // From the points themselves: with chunked loading the clusters are still being filled here.
        const bounds = L.latLngBounds(markers.map((marker) => marker.getLatLng()));
        if (markers.length) map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] });
        else fitOutlines();
      }
    }

    // "Gunakan lokasi saya": the map moves to the device's position, and loads the points around it.
    const locate = document.getElementById(element.dataset.locateButton || "");
    if (locate && "geolocation" in navigator) {
      locate.hidden = false;
      let here = null;
      locate.addEventListener("click", () => {
        if (!window.isSecureContext) {
          say(element.dataset.msgInsecure);
          return;
        }
        locate.disabled = true;
        say(element.dataset.msgLocating);
        navigator.geolocation.getCurrentPosition(
          (position) => {
            locate.disabled = false;
            const { latitude, longitude, accuracy } = position.coords;
            if (here) here.remove();
            here = L.circle([latitude, longitude], { radius: Math.max(accuracy, 20), color: "#1d4ed8" }).addTo(map);
            locatedAt = numbers.format(Math.round(accuracy));
            placed = true; // from here on the map loads what it shows
            map.setView([latitude, longitude], 15);
          },
          (error) => {
            locate.disabled = false;
            say(error.code === error.PERMISSION_DENIED ? element.dataset.msgDenied : element.dataset.msgUnavailable);
          },
          { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 },
        );
      });
    }

    map.on("moveend", () => {
      if (placed) load();
    });
    if (element.dataset.boundariesUrl) drawOutlines();
    load();
  }

  function start(root) {
    if (typeof L === "undefined") return;
    for (const element of root.querySelectorAll("[data-map-point]:not(.leaflet-container)")) showPoint(element);
    for (const element of root.querySelectorAll("[data-map-area]:not(.leaflet-container)")) showArea(element);
  }

  document.addEventListener("DOMContentLoaded", () => start(document));
  // A tab of the UMKM page loaded by htmx may bring a map.
  document.addEventListener("htmx:afterSwap", (event) => start(event.target));
})();
