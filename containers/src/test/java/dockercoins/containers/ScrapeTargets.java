package dockercoins.containers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * What Prometheus's Kubernetes pod discovery and a scrape configuration's relabelling
 * make of a pod: the address and path it scrapes, or nothing when the pod is dropped.
 * Only the relabelling actions the project's configuration uses are known.
 */
final class ScrapeTargets {

	private ScrapeTargets() {
	}

	/** The URL scraped for a pod with this template and IP, for each of its ports. */
	static List<Optional<String>> of(PodTemplateSpec template, String podIp, List<Map<String, Object>> relabelling) {
		List<ContainerPort> ports = template.getSpec()
			.getContainers()
			.stream()
			.flatMap((container) -> container.getPorts().stream())
			.toList();
		return ports.stream().map((port) -> {
			Map<String, String> labels = new LinkedHashMap<>();
			labels.put("__address__", podIp + ":" + port.getContainerPort());
			labels.put("__scheme__", "http");
			labels.put("__metrics_path__", "/metrics");
			labels.put("__meta_kubernetes_pod_ip", podIp);
			template.getMetadata()
				.getLabels()
				.forEach((name, value) -> labels.put("__meta_kubernetes_pod_label_" + sanitize(name), value));
			template.getMetadata()
				.getAnnotations()
				.forEach((name, value) -> labels.put("__meta_kubernetes_pod_annotation_" + sanitize(name), value));
			return relabel(labels, relabelling).map((target) -> target.get("__scheme__") + "://"
					+ target.get("__address__") + target.get("__metrics_path__"));
		}).toList();
	}

	private static String sanitize(String name) {
		return name.replaceAll("[^a-zA-Z0-9_]", "_");
	}

	@SuppressWarnings("unchecked")
	private static Optional<Map<String, String>> relabel(Map<String, String> labels,
			List<Map<String, Object>> relabelling) {
		for (Map<String, Object> rule : relabelling) {
			List<String> sources = (List<String>) rule.getOrDefault("source_labels", List.of());
			String value = sources.stream()
				.map((source) -> labels.getOrDefault(source, ""))
				.collect(Collectors.joining((String) rule.getOrDefault("separator", ";")));
			// Prometheus anchors the regular expression at both ends.
			Matcher matcher = Pattern.compile("^(?:" + rule.getOrDefault("regex", "(.*)") + ")$").matcher(value);
			String action = (String) rule.getOrDefault("action", "replace");
			switch (action) {
				case "keep" -> {
					if (!matcher.matches()) {
						return Optional.empty();
					}
				}
				case "drop" -> {
					if (matcher.matches()) {
						return Optional.empty();
					}
				}
				case "replace" -> {
					if (matcher.matches()) {
						String replacement = ((String) rule.getOrDefault("replacement", "$1"))
							.replaceAll("\\$\\{(\\d+)}", "\\$$1");
						String result = matcher.replaceFirst(replacement);
						String target = (String) rule.get("target_label");
						if (result.isEmpty()) {
							labels.remove(target);
						}
						else {
							labels.put(target, result);
						}
					}
				}
				default -> throw new IllegalArgumentException("Relabelling action not known here: " + action);
			}
		}
		return Optional.of(labels);
	}

}
