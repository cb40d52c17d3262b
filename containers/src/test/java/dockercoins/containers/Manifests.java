package dockercoins.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes objects rendered by {@code kubectl kustomize} and read with fabric8's model,
 * strictly: a field the model does not know, or an object of an unknown kind, is an
 * error.
 */
final class Manifests {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

	private final String source;

	private final List<HasMetadata> objects;

	private Manifests(String source, List<HasMetadata> objects) {
		this.source = source;
		this.objects = objects;
	}

	/** What {@code kubectl kustomize} makes of a directory of the repository. */
	static Manifests render(String directory) {
		Command.requireKubectl();
		Command kustomize = Command.run(Duration.ofMinutes(1), "kubectl", "kustomize",
				Command.REPOSITORY.resolve(directory).toString());
		assertThat(kustomize.exitCode()).as("kubectl kustomize %s: %s", directory, kustomize.errors()).isZero();
		return parse(directory, kustomize.output());
	}

	/** A file of the repository, as {@code kubectl apply -f} would read it. */
	static Manifests read(String file) {
		try {
			return parse(file, Files.readString(Command.REPOSITORY.resolve(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads YAML documents; throws {@link IllegalArgumentException} on what is not known.
	 */
	static Manifests parse(String source, String yaml) {
		Object parsed = SERIALIZATION.unmarshal(yaml);
		List<?> documents = (parsed instanceof List<?> list) ? list : List.of(parsed);
		List<String> problems = new ArrayList<>();
		List<HasMetadata> objects = new ArrayList<>();
		for (Object document : documents) {
			if (document == null) {
				continue;
			}
			if (!(document instanceof HasMetadata object) || document instanceof GenericKubernetesResource) {
				problems.add("unknown kind: " + describe(document));
				continue;
			}
			collectUnknownFields(object, object.getKind() + "/" + object.getMetadata().getName(), problems);
			objects.add(object);
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(source + ": " + String.join("; ", problems));
		}
		return new Manifests(source, List.copyOf(objects));
	}

	private static String describe(Object document) {
		return (document instanceof HasMetadata object)
				? object.getApiVersion() + " " + object.getKind() + " " + object.getMetadata().getName()
				: String.valueOf(document);
	}

	/**
	 * Finds the fields fabric8 kept aside as "additional properties": those its model of
	 * the Kubernetes API does not have, such as a misspelt one.
	 */
	private static void collectUnknownFields(Object value, String path, List<String> problems) {
		if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				collectUnknownFields(list.get(i), path + "[" + i + "]", problems);
			}
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> collectUnknownFields(item, path + "." + key, problems));
		}
		else if (value != null && value.getClass().getPackageName().startsWith(MODEL_PACKAGE)) {
			for (Method getter : value.getClass().getMethods()) {
				if (isModelGetter(getter)) {
					Object field = invoke(getter, value);
					if (getter.getName().equals("getAdditionalProperties")) {
						((Map<?, ?>) field).keySet()
							.forEach((key) -> problems.add("unknown field " + path + "." + key));
					}
					else {
						String name = getter.getName().substring(3);
						collectUnknownFields(field,
								path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems);
					}
				}
			}
		}
	}

	private static boolean isModelGetter(Method method) {
		Class<?> type = method.getReturnType();
		return method.getName().startsWith("get") && method.getParameterCount() == 0
				&& (List.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
						|| type.getPackageName().startsWith(MODEL_PACKAGE));
	}

	private static Object invoke(Method getter, Object target) {
		try {
			return getter.invoke(target);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException(getter.toString(), ex);
		}
	}

	String source() {
		return this.source;
	}

	List<HasMetadata> objects() {
		return this.objects;
	}

	<T extends HasMetadata> Stream<T> all(Class<T> kind) {
		return this.objects.stream().filter(kind::isInstance).map(kind::cast);
	}

	<T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
		return all(kind).filter((object) -> object.getMetadata().getName().equals(name)).findFirst();
	}

	<T extends HasMetadata> T get(Class<T> kind, String name) {
		return find(kind, name)
			.orElseThrow(() -> new AssertionError(this.source + " has no " + kind.getSimpleName() + " named " + name));
	}

	/** The Deployments, DaemonSets and StatefulSets: what makes pods. */
	List<Workload> workloads() {
		List<Workload> workloads = new ArrayList<>();
		all(Deployment.class)
			.forEach((deployment) -> workloads.add(new Workload(deployment, deployment.getSpec().getSelector(),
					deployment.getSpec().getTemplate(), deployment.getSpec().getReplicas())));
		all(DaemonSet.class).forEach((daemonSet) -> workloads
			.add(new Workload(daemonSet, daemonSet.getSpec().getSelector(), daemonSet.getSpec().getTemplate(), 1)));
		all(StatefulSet.class)
			.forEach((statefulSet) -> workloads.add(new Workload(statefulSet, statefulSet.getSpec().getSelector(),
					statefulSet.getSpec().getTemplate(), statefulSet.getSpec().getReplicas())));
		return workloads;
	}

	Workload workload(String name) {
		return workloads().stream()
			.filter((workload) -> workload.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError(this.source + " has no workload named " + name));
	}

	/** The workloads whose pods a Service sends its traffic to. */
	List<Workload> selectedBy(Service service) {
		return workloads().stream().filter((workload) -> sendsTrafficTo(service, workload.template())).toList();
	}

	/**
	 * Whether a Service sends traffic to the pods of a template: it selects their labels,
	 * and its target port is a number or a port they name (pods that do not name it get
	 * no traffic).
	 */
	static boolean sendsTrafficTo(Service service, PodTemplateSpec template) {
		Map<String, String> selector = service.getSpec().getSelector();
		IntOrString target = service.getSpec().getPorts().getFirst().getTargetPort();
		return !selector.isEmpty() && template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())
				&& (target == null || target.getIntVal() != null || port(template, target).isPresent());
	}

	/**
	 * The container port of a pod that a port number or name refers to, if it declares
	 * one.
	 */
	static Optional<ContainerPort> port(PodTemplateSpec template, IntOrString port) {
		return template.getSpec()
			.getContainers()
			.stream()
			.flatMap((container) -> container.getPorts().stream())
			.filter((declared) -> (port.getIntVal() != null) ? port.getIntVal().equals(declared.getContainerPort())
					: port.getStrVal().equals(declared.getName()))
			.findFirst();
	}

	/** An object that makes pods from a template; replicas is 1 for a DaemonSet. */
	record Workload(HasMetadata object, LabelSelector selector, PodTemplateSpec template, Integer replicas) {

		String name() {
			return this.object.getMetadata().getName();
		}

		String kind() {
			return this.object.getKind();
		}

		Map<String, String> labels() {
			return this.template.getMetadata().getLabels();
		}

		List<Container> containers() {
			return this.template.getSpec().getContainers();
		}

		Container container(String name) {
			return containers().stream()
				.filter((container) -> container.getName().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError(name() + " has no container named " + name));
		}

		/** The container port that a port number or name refers to, if there is one. */
		Optional<ContainerPort> port(IntOrString port) {
			return Manifests.port(this.template, port);
		}

	}

}
