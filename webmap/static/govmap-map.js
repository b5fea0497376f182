/* govmap map helpers: map setup, township labels, the place search control and the legend.
   Text is always set with textContent. */
(function () {
  "use strict";
  var GovMap = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* A metric scale bar, Leaflet credited without a flag, derived geometry in a pane under the overlays (400),
     township markers and then 任务 marks in panes above them (under Leaflet's markers, 600), and popups that pan
     clear of the search box (top left) and the legend (bottom right). */
  GovMap.setup = function (map, options) {
    L.control.scale({ imperial: false, maxWidth: 120 }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="JavaScript 地图库">Leaflet</a>');
    map.createPane(options.derivedPane).style.zIndex = 390;
    map.createPane(options.unitsPane).style.zIndex = 410;
    map.createPane(options.tasksPane).style.zIndex = 420;
    map.on("preclick", function () { padPopups(map); });  /* fires before a click opens a popup */
    /* A click on a path opens its popup and is not passed on to the map (Leaflet fires the map's click only on
       empty ground), so the click is noted here and looked at when the popup opens. */
    var last = null;
    map.getContainer().addEventListener("click", function (ev) {
      if (ev.target.closest && ev.target.closest(".leaflet-popup, .leaflet-control")) { last = null; return; }
      last = { containerPoint: map.mouseEventToContainerPoint(ev), latlng: map.mouseEventToLatLng(ev), t: Date.now() };
    }, true);
    map.on("click", function (e) { chooseUnderClick(map, e, false); });
    map.on("popupopen", function (e) {
      if (!e.popup._gmChooser && last && Date.now() - last.t < 400) {
        var click = last;
        last = null;
        setTimeout(function () { chooseUnderClick(map, click, true); }, 0);
      }
    });
    if (options.fit) { map._gmFit = L.latLngBounds(options.fit); }
    /* on a narrow map an open popup hides the controls (legend, lists, layers, search, zoom) */
    map.on("popupopen", function (e) {
      var narrow = map.getSize().x < 600;
      map.getContainer().classList.toggle("gm-popup-narrow", narrow);
      if (narrow && e.popup.getElement()) {
        e.popup.getElement().querySelector(".leaflet-popup-content").style.maxWidth = (map.getSize().x - 50) + "px";
      }
    });
    map.on("popupclose", function () { map.getContainer().classList.remove("gm-popup-narrow"); });
    setTimeout(function () {  /* after the map has been fitted to its bounds */
      keepClear(map);
      map.getContainer().setAttribute("data-gm-ready", "");
    }, 0);
  };

  /* Pixels around a click within which a feature counts as under it. */
  var PICK = 6;

  /* Whether a path lies within PICK px of a container point: a line or mark anywhere, an area only at its edge
     (a click inside a township's or the county's area is a click on what lies there). */
  function near(map, layer, point) {
    if (!layer._containsPoint || !layer._map) { return false; }
    var area = layer instanceof L.Polygon;
    var steps = [[0, 0], [PICK, 0], [-PICK, 0], [0, PICK], [0, -PICK], [4, 4], [-4, 4], [4, -4], [-4, -4]];
    return steps.some(function (d) {
      var p = map.containerPointToLayerPoint(point.add(L.point(d[0], d[1])));
      return area ? L.Polyline.prototype._containsPoint.call(layer, p, true) : layer._containsPoint(p);
    });
  }

  function plainText(html) {  /* tooltips are escaped text: DOMParser runs nothing and loads nothing */
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }

  /* A click where several features lie (a river crossing a road) offers all of them: a popup listing each
     feature with a popup within PICK px; a click on one feature alone keeps that feature's own popup. */
  function chooseUnderClick(map, e, opened) {
    var hits = [];
    map.eachLayer(function (layer) {
      if (layer.getPopup && layer.getPopup() && layer.getTooltip && layer.getTooltip() && near(map, layer, e.containerPoint)) {
        hits.push(layer);
      }
    });
    if (hits.length === 0 || (opened && hits.length === 1)) { return; }
    if (hits.length === 1) {
      if (!hits[0].isPopupOpen()) { hits[0].openPopup(e.latlng); }
      return;
    }
    var box = el("div", "gm-pop gm-choose");
    box.appendChild(el("p", "gm-pop-title", "此处有 " + hits.length + " 个要素"));
    var list = el("ul", "gm-pop-places");
    hits.forEach(function (layer) {
      var item = el("li");
      var button = el("button", "gm-choose-item", plainText(layer.getTooltip().getContent()));
      button.type = "button";
      button.addEventListener("click", function () { map.closePopup(); layer.openPopup(e.latlng); });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    map.closePopup();
    var chooser = L.popup({ className: "gm-popup", maxWidth: 320 }).setLatLng(e.latlng).setContent(box);
    chooser._gmChooser = true;
    chooser.openOn(map);
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* The corner controls never hide a township: when one covers a township marker, the map is fitted again with
     room for the controls at its sides; if that is not enough (a small screen), the legend folds. */
  function keepClear(map) {
    var container = map.getContainer();
    function controls() {
      return Array.prototype.slice.call(container.querySelectorAll(".gm-legend, .gm-approx, .gm-search"));
    }
    function covered() {
      var marks = Array.prototype.map.call(container.querySelectorAll(".gm-townships.gm-marker"), function (m) {
        return m.getBoundingClientRect();
      });
      return controls().some(function (c) {
        var r = c.getBoundingClientRect();
        return marks.some(function (m) { return overlaps(r, m); });
      });
    }
    if (!covered()) { return; }
    var box = container.getBoundingClientRect(), left = 0, right = 0;
    controls().forEach(function (c) {
      var r = c.getBoundingClientRect();
      if (r.left - box.left < box.width / 2) { left = Math.max(left, r.right - box.left); }
      else { right = Math.max(right, box.right - r.left); }
    });
    if (left + right + 200 < box.width && map._gmFit) {
      map.fitBounds(map._gmFit, { paddingTopLeft: [left + 12, 12], paddingBottomRight: [right + 12, 12], maxZoom: 14,
                                  animate: false });
    }
    if (covered()) {
      var legend = container.querySelector(".gm-legend");
      if (legend) { legend.open = false; }
    }
  }



  /* Popups take their options from L.Popup's prototype unless they set their own: keep them clear of the
     controls as they are now (the legend may be open or folded). A narrow map lets popups cover controls. */
  function padPopups(map) {
    var container = map.getContainer(), size = map.getSize();
    var left = container.querySelector(".leaflet-top.leaflet-left"), right = container.querySelector(".leaflet-bottom.leaflet-right");
    var padLeft = (left ? left.offsetWidth : 0) + 10, padRight = (right ? right.offsetWidth : 0) + 10;
    var wide = size.x - padLeft - padRight >= 320;
    L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(wide ? padLeft : 5, 10);
    L.Popup.prototype.options.autoPanPaddingBottomRight = L.point(wide ? padRight : 5, 10);
  }

  /* Names kept next to the features of a group: entries are [lat, lon, offset px, text], most important first.
     A label goes right of its mark, else left, above or below, wherever it overlaps no label placed before it
     and no other mark; one that fits nowhere is hidden (the mark's tooltip still names it). Again on zoom. */
  GovMap.labels = function (group, entries) {
    var tips = entries.map(function (e) {
      var tip = L.tooltip({ permanent: true, direction: "right", offset: [e[2], 0], className: "gm-label",
                            interactive: false }).setLatLng([e[0], e[1]]).setContent(el("span", "", e[3]));
      tip._gmOffset = e[2];
      group.addLayer(tip);
      return tip;
    });
    function place() {
      var map = group._map;
      if (!map) { return; }
      var marks = Array.prototype.map.call(map.getContainer().querySelectorAll(".gm-townships.gm-marker"),
                                           function (m) { return m.getBoundingClientRect(); });
      var taken = [];
      var sides = [["right", 1, 0], ["left", -1, 0], ["top", 0, -1], ["bottom", 0, 1],
                   ["right", 0.8, -1.1], ["right", 0.8, 1.1], ["left", -0.8, -1.1], ["left", -0.8, 1.1]];
      tips.forEach(function (tip) {
        var node = tip.getElement();
        if (!node) { return; }
        node.classList.remove("gm-label-hidden");
        var own = map.latLngToContainerPoint(tip.getLatLng()), box = map.getContainer().getBoundingClientRect();
        var fits = sides.some(function (side) {
          tip.options.direction = side[0];
          tip.options.offset = L.point(side[1] * tip._gmOffset, side[2] * tip._gmOffset);
          tip.update();
          var r = node.getBoundingClientRect();
          var clash = taken.some(function (t) { return overlaps(r, t); }) || marks.some(function (m) {
            var cx = (m.left + m.right) / 2 - box.left, cy = (m.top + m.bottom) / 2 - box.top;
            return Math.abs(cx - own.x) + Math.abs(cy - own.y) > 2 && overlaps(r, m);
          });
          if (!clash) { taken.push(r); }
          return !clash;
        });
        node.classList.toggle("gm-label-hidden", !fits);
      });
      map.getContainer().setAttribute("data-gm-labels", "placed");
    }
    group.on("add", function () { setTimeout(place, 0); });
    setTimeout(function () {
      if (group._map) {  /* after any zoom or pan has ended, once the frame is drawn */
        group._map.on("zoomend moveend", function () { requestAnimationFrame(place); });
        place();
      }
    }, 0);
    window.addEventListener("load", function () { setTimeout(place, 50); });
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { setTimeout(place, 0); }); }
  };

  /* How well an entry matches the query: exact name or alias first, then prefixes, then the rest. */
  function rank(entry, q) {
    var names = [entry.name].concat(entry.aliases);
    if (names.indexOf(q) >= 0) { return 0; }
    if (names.some(function (n) { return n.indexOf(q) === 0; })) { return 1; }
    return 2;
  }

  GovMap.search = function (map, entries, layers) {
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", "gm-search leaflet-bar");
        var input = el("input");
        input.type = "search";
        input.placeholder = "搜索地名或别名";
        input.setAttribute("aria-label", "搜索地名或别名");
        var list = el("ul", "gm-search-results");
        list.setAttribute("role", "listbox");
        box.appendChild(input);
        box.appendChild(list);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);

        function choose(entry) {
          var layer = layers[entry.id];
          list.textContent = "";
          input.value = entry.name;
          if (!layer) { return; }
          padPopups(map);
          if (layer.getBounds) {
            map.fitBounds(layer.getBounds(), { maxZoom: 14 });
          } else {
            map.setView(layer.getLatLng(), Math.max(map.getZoom(), 13));
          }
          layer.openPopup(layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
        }

        input.addEventListener("input", function () {
          var q = input.value.trim();
          list.textContent = "";
          if (!q) { return; }
          var hits = entries.filter(function (e) {
            return e.name.indexOf(q) >= 0 || e.aliases.some(function (a) { return a.indexOf(q) >= 0; });
          }).map(function (e, i) { return { entry: e, rank: rank(e, q), order: i }; }).sort(function (a, b) {
            return a.rank - b.rank || a.entry.name.length - b.entry.name.length || a.order - b.order;
          }).map(function (hit) { return hit.entry; }).slice(0, 12);
          hits.forEach(function (entry) {
            var item = el("li");
            item.setAttribute("role", "option");
            item.tabIndex = 0;
            item.appendChild(el("span", "gm-search-name", entry.name));
            var alias = entry.aliases.filter(function (a) { return a.indexOf(q) >= 0; })[0];
            var note = entry.kind + (alias && entry.name.indexOf(q) < 0 ? " · " + alias : "");
            item.appendChild(el("span", "gm-search-kind", note));
            /* choose() empties the list, detaching this item: a click bubbling on would no longer be seen as
               inside the control, and the map would close the popup just opened. */
            item.addEventListener("click", function (ev) { L.DomEvent.stop(ev); choose(entry); });
            item.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { choose(entry); } });
            list.appendChild(item);
          });
          if (!hits.length) { list.appendChild(el("li", "gm-search-none", "没有找到")); }
        });
        input.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" && list.firstChild && list.firstChild.click) { ev.preventDefault(); list.firstChild.click(); }
        });
        return box;
      }
    });
    new Control().addTo(map);
  };

  function swatch(kind, color, dash, hollow, radius, weight, opacity) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var size = radius ? Math.ceil(radius * 2 + 4) : 22;
    svg.setAttribute("width", size);
    svg.setAttribute("height", radius ? size : 14);
    svg.setAttribute("aria-hidden", "true");
    var shape;
    if (kind === "band") {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", 1); shape.setAttribute("y1", 7); shape.setAttribute("x2", 21); shape.setAttribute("y2", 7);
      shape.setAttribute("stroke-width", 6);
      shape.setAttribute("stroke-opacity", 0.55);
    } else if (kind === "line" || kind === "task") {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", 1); shape.setAttribute("y1", 7); shape.setAttribute("x2", 21); shape.setAttribute("y2", 7);
      shape.setAttribute("stroke-width", kind === "task" ? 6 : 3 * (weight || 1));
      shape.setAttribute("stroke-opacity", kind === "task" ? 0.45 : (opacity || 1));
    } else if (kind === "area") {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", 2); shape.setAttribute("y", 2); shape.setAttribute("width", 18); shape.setAttribute("height", 10);
      shape.setAttribute("stroke-width", 1.5);
      shape.setAttribute("fill", color);
      shape.setAttribute("fill-opacity", 0.3);
    } else if (kind === "list") {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", 1); shape.setAttribute("y", 2); shape.setAttribute("width", 20); shape.setAttribute("height", 10);
      shape.setAttribute("rx", 5);
      shape.setAttribute("stroke-width", 1);
      shape.setAttribute("fill", "#fff");
    } else {
      shape = document.createElementNS(ns, "circle");
      var r = radius || 5;
      shape.setAttribute("cx", size / 2); shape.setAttribute("cy", radius ? size / 2 : 7); shape.setAttribute("r", r);
      shape.setAttribute("stroke-width", 1.5);
      shape.setAttribute("fill", hollow ? "none" : color);
    }
    shape.setAttribute("stroke", kind === "count" ? "#7c2d12" : color);
    if (dash) { shape.setAttribute("stroke-dasharray", dash); }
    svg.appendChild(shape);
    return svg;
  }

  GovMap.legend = function (map, spec) {
    var Control = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var box = el("details", "gm-legend");
        box.open = spec.open && window.innerWidth > 700;
        box.appendChild(el("summary", "", spec.title));
        var layers = el("ul");
        spec.groups.forEach(function (g) {
          var li = el("li");
          li.appendChild(swatch(g.swatch, g.color, null, false));
          li.appendChild(document.createTextNode(g.label));
          layers.appendChild(li);
        });
        box.appendChild(layers);
        if (spec.counts.length) {
          box.appendChild(el("p", "gm-legend-head", spec.countsTitle));
          var counts = el("ul", "gm-legend-counts");
          spec.counts.forEach(function (c) {
            var li = el("li");
            var svg = swatch("count", c.color, null, false, c.radius);
            li.appendChild(svg);
            li.appendChild(document.createTextNode(String(c.count)));
            counts.appendChild(li);
          });
          box.appendChild(counts);
        }
        if (spec.specific.length && !spec.counts.length) {
          box.appendChild(el("p", "gm-legend-head", "其中点名或辖区内（颜色）"));
          var ramp = el("ul", "gm-legend-ramp");
          spec.specific.forEach(function (c) {
            var li = el("li");
            var chip = el("span", "gm-legend-chip");
            chip.style.background = c.color;
            li.appendChild(chip);
            li.appendChild(document.createTextNode(c.label));
            ramp.appendChild(li);
          });
          box.appendChild(ramp);
        }
        if (spec.lights.length) {
          box.appendChild(el("p", "gm-legend-head", spec.lightsTitle));
          var lights = el("ul", "gm-legend-lights");
          spec.lights.forEach(function (l) {
            var li = el("li");
            li.setAttribute("data-light", l.id);
            li.appendChild(swatch("point", l.color, null, false));
            li.appendChild(document.createTextNode(l.label));
            lights.appendChild(li);
          });
          box.appendChild(lights);
        }
        box.appendChild(el("p", "gm-legend-head", "位置精度（悬停看说明）"));
        var qualities = el("ul");
        spec.qualities.forEach(function (q) {
          var li = el("li");
          li.title = q.help;
          li.setAttribute("data-quality", q.id);
          li.appendChild(swatch(q.shape, "#444", q.dash, q.hollow, 0, q.weight, q.opacity));
          li.appendChild(document.createTextNode(q.label));
          qualities.appendChild(li);
        });
        box.appendChild(qualities);
        /* never taller than the map (a supervised map's legend has the lights too): it scrolls instead */
        var fitHeight = function () { box.style.maxHeight = Math.max(120, map.getSize().y - 70) + "px"; };
        fitHeight();
        map.on("resize", fitHeight);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Control().addTo(map);
  };

  /* Places known only by their admin unit: a folded box whose summary counts them; inside, one button per unit
     ("咸安区 39 处", the deployment's units first) opens its list in a panel. spec is {outside, open, units:
     [{id, unit, count, html, inside}]}; html is escaped server-side, like a popup's. */
  GovMap.approximate = function (map, spec) {
    var Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("details", "gm-approx");
        box.open = spec.open && window.innerWidth > 700;
        var total = spec.units.reduce(function (n, u) { return n + u.count; }, 0);
        box.appendChild(el("summary", "", "位置只知到所在行政区的地点 " + total + " 处"));
        var panel = el("div", "gm-approx-panel");
        panel.hidden = true;
        var close = el("button", "gm-approx-close", "×");
        close.type = "button";
        close.setAttribute("aria-label", "关闭列表");
        var body = el("div", "gm-approx-body");
        panel.appendChild(close);
        panel.appendChild(body);
        box.appendChild(panel);
        var current = null;
        function shut() {
          panel.hidden = true;
          if (current) { current.setAttribute("aria-expanded", "false"); }
          current = null;
        }
        function row(units, head) {
          if (!units.length) { return; }
          var parent = box;
          if (head) {  /* the units outside the deployment fold away */
            parent = el("details", "gm-approx-outside");
            parent.appendChild(el("summary", "gm-approx-head", head + " " + units.reduce(function (n, u) { return n + u.count; }, 0) + " 处"));
            box.appendChild(parent);
          }
          var buttons = el("div", "gm-approx-units");
          units.forEach(function (e) {
            var button = el("button", "gm-approx-unit", e.unit + " " + e.count + " 处");
            button.type = "button";
            button.setAttribute("aria-expanded", "false");
            button.setAttribute("data-unit", e.id);
            button.title = "位置仅知到 " + e.unit + " 的地点：点击查看列表";
            button.addEventListener("click", function () {
              if (current === button) { shut(); return; }
              shut();
              body.innerHTML = e.html;
              panel.hidden = false;
              current = button;
              button.setAttribute("aria-expanded", "true");
              map.closePopup();
            });
            buttons.appendChild(button);
          });
          parent.appendChild(buttons);
        }
        row(spec.units.filter(function (u) { return u.inside; }), "");
        row(spec.units.filter(function (u) { return !u.inside; }), spec.outside);
        close.addEventListener("click", shut);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    new Control().addTo(map);
  };

  window.GovMap = GovMap;
}());
