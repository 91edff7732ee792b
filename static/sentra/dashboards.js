/* Sentra dashboards: draws each chart from its json_script spec; a bar opens the list behind it.

   Each <canvas data-chart="ID"> has a <script type="application/json" id="ID"> holding
   {title, horizontal, stacked, labels, datasets: [{label, counts, urls}]}. */
(function () {
  "use strict";

  var COLOURS = ["#0b6e4f", "#b54708", "#5b6670", "#b42318", "#3b6fb6", "#7a5af8"];
  var BAR_HEIGHT = 24; // px per bar on horizontal charts, so long lists stay readable on a phone

  // A category label on the axis wraps onto at most two lines of width/20 characters (a third of the chart);
  // the tooltip and the table beside the chart have all of it.
  function wrapped(label, width) {
    var length = Math.min(40, Math.max(10, Math.floor(width / 20)));
    var lines = [""];
    label.split(" ").forEach(function (word) {
      var last = lines[lines.length - 1];
      if (last && (last + " " + word).length > length) {
        lines.push(word);
      } else {
        lines[lines.length - 1] = last ? last + " " + word : word;
      }
    });
    if (lines.length > 2) {
      lines = [lines[0], lines.slice(1).join(" ")];
    }
    return lines.map(function (line) {
      return line.length > length ? line.slice(0, length - 1) + "…" : line;
    });
  }

  function chartHeight(spec) {
    if (!spec.horizontal) {
      return 240;
    }
    var barsPerRow = spec.stacked ? 1 : spec.datasets.length;
    return Math.max(120, spec.labels.length * (barsPerRow * BAR_HEIGHT + 8) + 48);
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    canvas.parentElement.style.height = chartHeight(spec) + "px";
    var categoryAxis = {
      stacked: spec.stacked,
      ticks: {
        autoSkip: false,
        callback: function (value) {
          return wrapped(this.getLabelForValue(value), this.chart.width);
        },
      },
    };
    var valueAxis = { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.counts,
            backgroundColor: COLOURS[index % COLOURS.length],
          };
        }),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        locale: "id-ID",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: { legend: { display: spec.datasets.length > 1 } },
        onClick: function (event, elements, chart) {
          var hits = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, true);
          if (!hits.length) {
            return;
          }
          var url = spec.datasets[hits[0].datasetIndex].urls[hits[0].index];
          if (url) {
            window.location.assign(url);
          }
        },
        onHover: function (event, elements) {
          if (event.native) {
            event.native.target.style.cursor = elements.length ? "pointer" : "default";
          }
        },
      },
    });
  }

  function drawAll() {
    if (!window.Chart) {
      return; // the tables beside the charts still carry every number
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
