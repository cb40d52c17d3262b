// Polls json every second and graphs the mining speed over the last few minutes;
// polls fleet.json every second and lists the running workers by version.
"use strict";

const GRAPH_SECONDS = 300;
// The speed is averaged over a few samples: workers report about once a second, not in step with us.
const SPEED_SAMPLES = 5;

const samples = [];
let plot = null;

function speedAt(index) {
	const from = samples[Math.max(0, index - SPEED_SAMPLES)];
	const to = samples[index];
	return to.now > from.now ? (to.hashes - from.hashes) / (to.now - from.now) : 0;
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

function draw() {
	const times = [];
	const speeds = [];
	for (let i = 1; i < samples.length; i++) {
		times.push(samples[i].now);
		speeds.push(speedAt(i));
	}
	if (plot === null) {
		const font = axisFont();
		plot = new uPlot({
			width: graphWidth(),
			height: 400,
			legend: { show: false },
			scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
			series: [{}, { label: "hashes/second", stroke: "steelblue", width: 2, fill: "rgba(70, 130, 180, 0.2)" }],
			axes: [{ font: font }, { font: font, label: "hashes/second", labelFont: font, size: 60 }],
		}, [times, speeds], document.getElementById("graph"));
		window.addEventListener("resize", () => plot.setSize({ width: graphWidth(), height: 400 }));
	} else {
		plot.setData([times, speeds]);
	}
	document.getElementById("graph").dataset.points = String(times.length);
	if (speeds.length > 0) {
		document.getElementById("speed").textContent = "~" + speeds[speeds.length - 1].toFixed(1) + " hashes/second";
	}
}

function showStatus(message) {
	document.getElementById("status").textContent = message;
}

async function refresh() {
	try {
		const response = await fetch("json", { cache: "no-store" });
		const body = await response.json();
		if (!response.ok) {
			throw new Error(body.detail || response.statusText);
		}
		record(body);
		document.getElementById("coins").textContent = body.coins + (body.coins === 1 ? " coin" : " coins") + " mined";
		showStatus("");
		draw();
	} catch (error) {
		showStatus("Cannot get the mining data: " + error.message + ". Retrying every second.");
	}
}

function cell(row, text, className) {
	const td = row.insertCell();
	td.textContent = text;
	if (className) {
		td.className = className;
	}
}

function showFleet(versions) {
	const body = document.querySelector("#fleet tbody");
	body.replaceChildren();
	for (const version of versions) {
		const row = body.insertRow();
		row.dataset.version = version.version;
		cell(row, version.version);
		cell(row, String(version.workers), "number");
		cell(row, version.rate.toFixed(1), "number");
		cell(row, version.instances.map((worker) => worker.instance + " (sleep " + worker.sleep + ")").join(", "));
	}
	if (versions.length === 0) {
		cell(body.insertRow(), "No worker is running.");
	}
}

async function refreshFleet() {
	try {
		const response = await fetch("fleet.json", { cache: "no-store" });
		if (response.ok) {
			showFleet((await response.json()).versions);
		}
	} catch (error) {
		// refresh() reports the failure.
	}
}

refresh();
refreshFleet();
setInterval(refresh, 1000);
setInterval(refreshFleet, 1000);
