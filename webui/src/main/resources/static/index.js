// Polls json and fleet.json every second: graphs the mining speed of the last few minutes
// stacked by worker version (and build, where two builds share a version), shows where the
// workers' time goes and which rng and hasher replicas answer them, and lists the running
// workers by version.
"use strict";

const GRAPH_SECONDS = 300;
// The speed is averaged over a few samples: workers report about once a second, not in step with us.
const SPEED_SAMPLES = 5;
// Okabe-Ito's colours, told apart with every common form of colour blindness; grey for "other".
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];
const OTHER = "other";
const OTHER_COLOUR = "#999999";
// Below this share of the total, a difference between the counter and the workers' own rates
// is reports in flight, not workers without a version: the bands are scaled to the total instead.
const NOISE = 0.1;
// Seconds without an answer that make a gap in the graph, rather than a line across it.
const GAP = 3;

const samples = [];
// A colour per version, in the order they were first seen, so that a version keeps its colour.
const colours = new Map();
// The workers last seen, with their rate, by version (with its build) and instance.
const lastSeen = new Map();
let fleet = { versions: [], steps: {}, replicas: { rng: [], hasher: [] } };
let plot = null;
let plotLayers = "";
let busy = false;

// A version as the page names it: with its build, the image's own identity, so that two builds
// of one version (the seed's v0.01 built without VERSION reports v0.1) are two bands and rows.
function versionName(group) {
	return group.build ? group.version + " (build " + group.build + ")" : group.version;
}

function colourOf(layer) {
	if (layer === OTHER) {
		return OTHER_COLOUR;
	}
	if (!colours.has(layer)) {
		colours.set(layer, PALETTE[colours.size % PALETTE.length]);
	}
	return colours.get(layer);
}

// The speed over the last few samples, as the workers' own rates are; null until there are
// enough of them, and when the webui could not be polled meanwhile.
function speedAt(index) {
	if (index < SPEED_SAMPLES) {
		return null;
	}
	const from = samples[index - SPEED_SAMPLES];
	const to = samples[index];
	if (to.now - from.now > SPEED_SAMPLES + GAP) {
		return null;
	}
	return to.now > from.now ? (to.hashes - from.hashes) / (to.now - from.now) : 0;
}

// The layers of the stack at a sample: the rate each version reports, and "other", the rise of
// the counter that no worker reports as its own; together they make the speed.
function layersAt(index) {
	const total = speedAt(index);
	if (total === null) {
		return null;
	}
	const rates = new Map(Object.entries(samples[index].rates));
	const reported = [...rates.values()].reduce((sum, rate) => sum + rate, 0);
	let other = Math.max(0, total - reported);
	if (reported > 0 && other < NOISE * total) {
		other = 0;
	}
	const scale = reported > 0 ? (total - other) / reported : 0;
	const layers = new Map();
	for (const [version, rate] of rates) {
		layers.set(version, rate * scale);
	}
	layers.set(OTHER, other);
	return { total: total, layers: layers };
}

// The rate of each version at a sample, from each worker's rate over its last 5 seconds. A
// worker that stopped is gone from the fleet at once, but its last loops are still in the
// speed's window: its rate fades out over that window, as they do.
function versionRates(versions, now) {
	const rates = {};
	const add = (version, rate) => {
		if (rate > 0) {
			colourOf(version);
			rates[version] = (rates[version] || 0) + rate;
		}
	};
	const present = new Set();
	for (const version of versions) {
		const name = versionName(version);
		for (const worker of version.instances) {
			const key = name + " " + worker.instance;
			present.add(key);
			lastSeen.set(key, { version: name, rate: worker.rate, now: now });
			add(name, worker.rate);
		}
	}
	for (const [key, worker] of lastSeen) {
		const fading = 1 - (now - worker.now) / SPEED_SAMPLES;
		if (fading <= 0) {
			lastSeen.delete(key);
		} else if (!present.has(key)) {
			add(worker.version, worker.rate * fading);
		}
	}
	return rates;
}

function record(sample) {
	const last = samples[samples.length - 1];
	if (last && sample.hashes < last.hashes) {
		samples.length = 0; // The counter was reset (Redis restarted): start again.
	}
	samples.push(sample);
	while (samples.length > 1 && sample.now - samples[0].now > GRAPH_SECONDS + SPEED_SAMPLES) {
		samples.shift();
	}
}

function axisFont() {
	const size = getComputedStyle(document.documentElement).getPropertyValue("--axis-font-size").trim();
	return size + " sans-serif";
}

function graphWidth() {
	return document.getElementById("graph").clientWidth || 800;
}

function createPlot(layers, data) {
	if (plot !== null) {
		plot.destroy();
	}
	const font = axisFont();
	// Each layer is drawn from 0 up to the top of its band, the top one first, so that each one
	// below paints over it: stacked bands, with opaque colours that stay true on a projector.
	const series = [{}];
	for (const layer of [...layers].reverse()) {
		series.push({ label: layer, stroke: colourOf(layer), fill: colourOf(layer), width: 1, points: { show: false } });
	}
	plot = new uPlot({
		width: graphWidth(),
		height: 360,
		legend: { show: false },
		cursor: { show: false },
		scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
		series: series,
		axes: [{ font: font }, { font: font, label: "hashes/second", labelFont: font, size: 60 }],
	}, data, document.getElementById("graph"));
	plotLayers = layers.join("\n");
}

function draw() {
	const points = [];
	for (let i = 1; i < samples.length; i++) {
		points.push({ now: samples[i].now, ...(layersAt(i) || { total: null, layers: null }) });
	}
	// The layers seen in the window, from the bottom: versions in the order first seen, then other.
	const seen = new Set();
	points.forEach((point) => point.layers && point.layers.forEach((rate, layer) => rate > 0 && seen.add(layer)));
	const layers = [...colours.keys()].filter((version) => seen.has(version));
	if (seen.has(OTHER) || layers.length === 0) {
		layers.push(OTHER);
	}
	const tops = layers.map(() => []);
	for (const point of points) {
		let top = 0;
		layers.forEach((layer, n) => {
			top += point.layers ? point.layers.get(layer) || 0 : 0;
			tops[n].push(point.layers ? top : null);
		});
	}
	const data = [points.map((point) => point.now), ...tops.reverse()];
	if (plot === null || plotLayers !== layers.join("\n")) {
		createPlot(layers, data);
	} else {
		plot.setData(data);
	}
	const graph = document.getElementById("graph");
	graph.dataset.points = String(points.filter((point) => point.layers).length);
	const shown = points.filter((point) => point.layers);
	if (shown.length > 0) {
		const now = shown[shown.length - 1];
		showLegend(layers.filter((layer) => seen.has(layer)), now.layers);
		const parts = [...seen].map((layer) => layer + " " + (now.layers.get(layer) || 0).toFixed(1));
		graph.setAttribute("aria-label", "Hashes/second over the last 5 minutes, stacked by version. Now: "
			+ parts.join(", ") + "; in all " + now.total.toFixed(1) + ".");
		document.getElementById("speed").textContent = "~" + now.total.toFixed(1) + " hashes/second";
	}
}

// Listed as stacked: the top band first.
function showLegend(layers, rates) {
	const legend = document.getElementById("legend");
	legend.replaceChildren();
	for (const layer of [...layers].reverse()) {
		const rate = rates.get(layer) || 0;
		const item = document.createElement("li");
		item.dataset.layer = layer;
		item.dataset.colour = colourOf(layer);
		item.dataset.rate = rate.toFixed(2);
		const swatch = document.createElement("span");
		swatch.className = "swatch";
		swatch.style.backgroundColor = colourOf(layer);
		item.append(swatch, layer + ": " + rate.toFixed(1));
		legend.append(item);
	}
}

function cell(row, text, className) {
	const td = row.insertCell();
	td.textContent = text;
	if (className) {
		td.className = className;
	}
	return td;
}

// A table of bars, one row per {name, value}: the table is the text, the bars are drawn beside it.
function showBars(table, rows, format, empty) {
	const body = table.tBodies[0];
	body.replaceChildren();
	const largest = Math.max(...rows.map((row) => row.value), 1e-9);
	for (const { name, value } of rows) {
		const row = body.insertRow();
		row.dataset.name = name;
		row.dataset.value = String(value);
		const header = document.createElement("th");
		header.scope = "row";
		header.textContent = name;
		row.append(header);
		const bar = cell(row, "", "bar");
		bar.setAttribute("aria-hidden", "true");
		const length = document.createElement("div");
		length.style.width = (100 * value / largest) + "%";
		bar.append(length);
		cell(row, format(value), "number");
	}
	if (rows.length === 0) {
		cell(body.insertRow(), empty).colSpan = 3;
	}
}

function seconds(value) {
	return value >= 0.01 ? value.toFixed(2) + " s" : (value * 1000).toFixed(1) + " ms";
}

function showSteps(steps) {
	const table = document.getElementById("steps");
	const rows = Object.entries(steps).map(([name, value]) => ({ name: name, value: value }));
	showBars(table, rows, seconds, "No worker is running.");
	const slowest = rows.reduce((slow, row) => (slow === null || row.value > slow.value ? row : slow), null);
	table.caption.textContent = slowest ? "Slowest: " + slowest.name + ", " + seconds(slowest.value) : "";
	if (slowest && rows.length > 1) {
		table.querySelector("tr[data-name='" + slowest.name + "']").classList.add("slowest");
	}
}

function showReplicas(replicas) {
	for (const service of ["rng", "hasher"]) {
		const table = document.getElementById("replicas-" + service);
		const rows = (replicas[service] || []).map((replica) => ({ name: replica.instance, value: replica.rate }));
		showBars(table, rows, (rate) => rate.toFixed(1) + "/s", "None answered.");
		table.caption.textContent = service + ": " + rows.length + (rows.length === 1 ? " replica" : " replicas");
	}
}

function showFleet(versions) {
	const body = document.querySelector("#fleet tbody");
	body.replaceChildren();
	for (const version of versions) {
		const row = body.insertRow();
		row.dataset.version = version.version;
		row.dataset.build = version.build || "";
		cell(row, versionName(version));
		cell(row, String(version.workers), "number");
		cell(row, version.rate.toFixed(1), "number");
		cell(row, version.instances.map((worker) => worker.instance + " (sleep " + worker.sleep + ")").join(", "));
	}
	if (versions.length === 0) {
		cell(body.insertRow(), "No worker is running.");
	}
}

function showStatus(message) {
	document.getElementById("status").textContent = message;
}

async function getJson(path) {
	const response = await fetch(path, { cache: "no-store", signal: AbortSignal.timeout(5000) });
	const body = await response.json();
	if (!response.ok) {
		throw new Error(body.detail || response.statusText);
	}
	return body;
}

async function refresh() {
	if (busy) {
		return; // The last poll is still waiting for an answer.
	}
	busy = true;
	try {
		const stats = await getJson("json");
		// Without the fleet's answer, the last one stands.
		fleet = await getJson("fleet.json").catch(() => fleet);
		record({ now: stats.now, hashes: stats.hashes, rates: versionRates(fleet.versions, stats.now) });
		document.getElementById("coins").textContent = stats.coins + (stats.coins === 1 ? " coin" : " coins") + " mined";
		showStatus("");
		draw();
		showSteps(fleet.steps || {});
		showReplicas(fleet.replicas || {});
		showFleet(fleet.versions);
	} catch (error) {
		showStatus("Cannot get the mining data: " + error.message + ". Retrying every second.");
	} finally {
		busy = false;
	}
}

window.addEventListener("resize", () => plot && plot.setSize({ width: graphWidth(), height: 360 }));
refresh();
setInterval(refresh, 1000);
