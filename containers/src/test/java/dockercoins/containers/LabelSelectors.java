package dockercoins.containers;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

/** Kubernetes' label selectors: which labels a selector matches. */
final class LabelSelectors {

	private LabelSelectors() {
	}

	/** Whether the selector matches the labels; an empty selector matches everything. */
	static boolean matches(LabelSelector selector, Map<String, String> labels) {
		return labels.entrySet().containsAll(selector.getMatchLabels().entrySet())
				&& selector.getMatchExpressions().stream().allMatch((requirement) -> matches(requirement, labels));
	}

	private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
		String value = labels.get(requirement.getKey());
		List<String> values = requirement.getValues();
		return switch (requirement.getOperator()) {
			case "In" -> value != null && values.contains(value);
			case "NotIn" -> value == null || !values.contains(value);
			case "Exists" -> value != null;
			case "DoesNotExist" -> value == null;
			default -> throw new IllegalArgumentException("Unknown operator " + requirement.getOperator());
		};
	}

}
