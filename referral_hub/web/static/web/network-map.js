/* The network map (web/network.html): the area's organisations drawn with Cytoscape.js
   (served by the hub) from the JSON the page carries as data.

   Positions are geographic — each organisation at the mean of its located places, in an
   equirectangular projection around the area's mean latitude — so the layout is one
   pass over the nodes, with no force simulation: thousands of nodes are placed in a few
   milliseconds, and a coordinator sees the wards where they are. Organisations without a
   located place are set in a grid below the map. The time from reading the data to a
   drawn map is left on the container as data-layout-ms, and the time since navigation
   as data-ready-at (make bench reads both). */
"use strict";

(function () {
  var ZERO_UUID = "00000000-0000-0000-0000-000000000000";

  function positions(nodes) {
    var located = nodes.filter(function (n) { return n.lat !== null && n.lon !== null; });
    var meanLat = located.reduce(function (sum, n) { return sum + n.lat; }, 0) /
      Math.max(located.length, 1);
    var cosLat = Math.cos(meanLat * Math.PI / 180);
    var xs = located.map(function (n) { return n.lon * cosLat; });
    var ys = located.map(function (n) { return -n.lat; });
    var minX = 0, maxX = 0, minY = 0, maxY = 0;
    if (located.length) {
      minX = Math.min.apply(null, xs); maxX = Math.max.apply(null, xs);
      minY = Math.min.apply(null, ys); maxY = Math.max.apply(null, ys);
    }
    // About 60 px of map per node along each side of a square, whatever the area's size.
    var side = Math.max(400, Math.sqrt(nodes.length) * 60);
    var scale = side / Math.max(maxX - minX, maxY - minY, 1e-6);
    var placed = {};
    located.forEach(function (n, i) {
      placed[n.id] = { x: (xs[i] - minX) * scale, y: (ys[i] - minY) * scale };
    });
    var rest = nodes.filter(function (n) { return !placed[n.id]; });
    var columns = Math.max(1, Math.ceil(Math.sqrt(rest.length)));
    var top = located.length ? (maxY - minY) * scale + 120 : 0;
    rest.forEach(function (n, i) {
      placed[n.id] = { x: (i % columns) * 40, y: top + Math.floor(i / columns) * 40 };
    });
    return placed;
  }

  function elements(data) {
    var placed = positions(data.nodes);
    var items = data.nodes.map(function (n) {
      return {
        group: "nodes",
        data: { id: n.id, name: n.name, colour: n.colour, shape: n.shape, tags: n.tags },
        position: placed[n.id]
      };
    });
    data.partnerships.forEach(function (pair, i) {
      items.push({ group: "edges", classes: "partnership",
        data: { id: "p" + i, source: pair[0], target: pair[1] } });
    });
    data.flows.forEach(function (flow, i) {
      items.push({ group: "edges", classes: "flow",
        data: { id: "f" + i, source: flow[0], target: flow[1], weight: flow[2] } });
    });
    return items;
  }

  var STYLE = [
    { selector: "node", style: {
      "background-color": "data(colour)", "shape": "data(shape)", "width": 14, "height": 14,
      "label": "data(name)", "font-size": 10, "min-zoomed-font-size": 9,
      "text-valign": "bottom", "text-margin-y": 2, "color": "#0b0c0c" } },
    { selector: "edge.partnership", style: {
      "width": 1, "line-color": "#8f979b", "curve-style": "haystack" } },
    { selector: "edge.flow", style: {
      "width": "mapData(weight, 5, 100, 2, 10)", "line-color": "#0b4f6c",
      "target-arrow-color": "#0b4f6c", "target-arrow-shape": "triangle",
      "curve-style": "bezier", "opacity": 0.85 } },
    { selector: ".faded", style: { "opacity": 0.08, "label": "" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } }
  ];

  function start() {
    var holder = document.getElementById("network-map");
    var source = document.getElementById("network-data");
    if (!holder || !source || typeof window.cytoscape !== "function") return;
    var began = performance.now();
    var data = JSON.parse(source.textContent);
    var cy = window.cytoscape({
      container: holder,
      elements: elements(data),
      layout: { name: "preset", fit: true, padding: 24 },
      style: STYLE,
      minZoom: 0.02,
      maxZoom: 4,
      textureOnViewport: true,
      hideEdgesOnViewport: data.nodes.length > 500
    });
    holder.dataset.layoutMs = String(Math.round(performance.now() - began));
    holder.dataset.nodes = String(cy.nodes().length);
    holder.dataset.edges = String(cy.edges().length);
    holder.dataset.readyAt = String(Math.round(performance.now()));  // since navigation
    holder.dataset.ready = "true";

    function show(node) {
      cy.nodes().unselect();
      node.select();
      cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
      window.htmx.ajax("GET", data.detail.replace(ZERO_UUID, node.id()),
        { target: "#network-detail", swap: "innerHTML" });
    }
    cy.on("tap", "node", function (event) { show(event.target); });

    var tag = document.getElementById("map-tag");
    if (tag) {
      tag.addEventListener("change", function () {
        var code = tag.value;
        cy.batch(function () {
          cy.nodes().forEach(function (n) {
            n.toggleClass("faded", Boolean(code) && n.data("tags").indexOf(code) < 0);
          });
          cy.edges().forEach(function (e) {
            e.toggleClass("faded", e.source().hasClass("faded") || e.target().hasClass("faded"));
          });
        });
        holder.dataset.shown = String(cy.nodes().not(".faded").length);
      });
    }
    var find = document.getElementById("map-find");
    if (find) {
      find.addEventListener("change", function () {
        var wanted = find.value.trim();
        var found = cy.nodes().filter(function (n) { return n.data("name") === wanted; });
        if (found.length) show(found[0]);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
