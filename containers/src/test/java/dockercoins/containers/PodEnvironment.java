package dockercoins.containers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;

/**
 * A container's environment as the kubelet makes it: the variables of the namespace's
 * Services (of the kubernetes Service always, of the others unless the pod turns service
 * links off), then the container's own, with their {@code $(VAR)} references expanded.
 */
final class PodEnvironment {

	private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

	private PodEnvironment() {
	}

	/** The environment of a pod's container; the Services' addresses are made up. */
	static Map<String, String> of(String podName, PodSpec pod, Container container, List<Service> services) {
		Map<String, String> environment = new LinkedHashMap<>();
		serviceVariables(environment, "kubernetes", "10.96.0.1", 443, "https");
		if (!Boolean.FALSE.equals(pod.getEnableServiceLinks())) {
			for (int i = 0; i < services.size(); i++) {
				Service service = services.get(i);
				var port = service.getSpec().getPorts().get(0);
				serviceVariables(environment, service.getMetadata().getName(), "10.96.1." + (i + 1), port.getPort(),
						port.getName());
			}
		}
		for (EnvVar variable : container.getEnv()) {
			String value;
			if (variable.getValueFrom() == null) {
				value = expand(Optional.ofNullable(variable.getValue()).orElse(""), environment);
			}
			else if (variable.getValueFrom().getFieldRef() != null
					&& variable.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name")) {
				value = podName;
			}
			else {
				throw new AssertionError(
						podName + ": env " + variable.getName() + " takes its value from what this test does not know");
			}
			environment.put(variable.getName(), value);
		}
		return environment;
	}

	private static void serviceVariables(Map<String, String> environment, String service, String ip, int port,
			String portName) {
		String prefix = service.toUpperCase().replace('-', '_');
		String address = "tcp://" + ip + ":" + port;
		environment.put(prefix + "_SERVICE_HOST", ip);
		environment.put(prefix + "_SERVICE_PORT", Integer.toString(port));
		if (portName != null) {
			environment.put(prefix + "_SERVICE_PORT_" + portName.toUpperCase().replace('-', '_'),
					Integer.toString(port));
		}
		environment.put(prefix + "_PORT", address);
		String tcp = prefix + "_PORT_" + port + "_TCP";
		environment.put(tcp, address);
		environment.put(tcp + "_PROTO", "tcp");
		environment.put(tcp + "_PORT", Integer.toString(port));
		environment.put(tcp + "_ADDR", ip);
	}

	/** Kubernetes' expansion: $(VAR) of a defined variable is its value, $$ is $. */
	static String expand(String text, Map<String, String> environment) {
		Matcher matcher = REFERENCE.matcher(text);
		StringBuilder expanded = new StringBuilder();
		while (matcher.find()) {
			String replacement = (matcher.group(1) == null) ? "$"
					: environment.getOrDefault(matcher.group(1), matcher.group());
			matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
		}
		return matcher.appendTail(expanded).toString();
	}

}
