package dockercoins.containers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;

import dockercoins.containers.Manifests.Workload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the pods of Kubernetes workloads on the Docker engine as the kubelet runs them:
 * the same image, command, environment (with the variables the kubelet adds for
 * Services), user and groups, read-only root file system, capabilities,
 * no-new-privileges, sysctls, limits and volumes. Each pod is a container on one network,
 * reachable under the names of the Services that select it. Only what the project's
 * manifests use is supported; anything else fails the test rather than being run
 * differently.
 */
final class DockerPods implements AutoCloseable {

	/**
	 * The kernel's default, which containerd before 2.0 and CRI-O leave (Docker sets 0).
	 */
	private static final Map<String, String> RUNTIME_SYSCTLS = Map.of("net.ipv4.ip_unprivileged_port_start", "1024");

	private static final Duration DOCKER = Duration.ofMinutes(1);

	private final Manifests manifests;

	private final String prefix = "k8s-" + UUID.randomUUID().toString().substring(0, 8);

	private final PodVolumes volumes = new PodVolumes(this.prefix);

	private final List<DockerPod> pods = new ArrayList<>();

	DockerPods(Manifests manifests) {
		this.manifests = manifests;
		Command.output(DOCKER, "docker", "network", "create", this.prefix);
	}

	/** A Secret of the namespace, as {@code kubectl create secret generic} makes one. */
	void secret(String name, Map<String, String> data) {
		this.volumes.secret(name, data);
	}

	/** Starts the pods of a workload, as many as its replicas. */
	List<DockerPod> start(Workload workload) {
		List<DockerPod> started = new ArrayList<>();
		for (int i = 0; i < workload.replicas(); i++) {
			started.add(start(workload.name() + "-" + i, workload.template()));
		}
		return started;
	}

	/** Starts one pod of a template, named {@code name}. */
	DockerPod start(String name, PodTemplateSpec template) {
		PodSpec pod = template.getSpec();
		assertThat(pod.getContainers()).as("%s: one container per pod here", name).hasSize(1);
		assertThat(pod.getInitContainers()).as(name).isEmpty();
		Container container = pod.getContainers().get(0);
		String image = container.getImage();
		Images.require(image);
		String containerName = this.prefix + "-" + name;
		List<String> run = new ArrayList<>(List.of("docker", "run", "--detach", "--name", containerName, "--hostname",
				name, "--network", this.prefix, "--label", "dockercoins.test=" + this.prefix));
		this.manifests.all(Service.class)
			.filter((service) -> !service.getSpec().getSelector().isEmpty() && template.getMetadata()
				.getLabels()
				.entrySet()
				.containsAll(service.getSpec().getSelector().entrySet()))
			.forEach((service) -> run.addAll(List.of("--network-alias", service.getMetadata().getName())));
		run.addAll(security(name, image, pod, container));
		run.addAll(limits(container));
		Map<String, String> environment = PodEnvironment.of(name, pod, container,
				this.manifests.all(Service.class).toList());
		environment.forEach((variable, value) -> run.addAll(List.of("--env", variable + "=" + value)));
		for (VolumeMount mount : container.getVolumeMounts()) {
			assertThat(mount.getSubPath()).as("%s: subPath is not supported here", name).isNull();
			Path source = this.volumes.directory(name, pod, mount.getName());
			run.addAll(List.of("--volume",
					source + ":" + mount.getMountPath() + (Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : "")));
		}
		for (ContainerPort port : container.getPorts()) {
			run.addAll(List.of("--publish", "127.0.0.1::" + port.getContainerPort()));
		}
		long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
		run.addAll(List.of("--stop-timeout", Long.toString(grace)));
		if (container.getWorkingDir() != null) {
			run.addAll(List.of("--workdir", container.getWorkingDir()));
		}
		List<String> command = container.getCommand()
			.stream()
			.map((part) -> PodEnvironment.expand(part, environment))
			.toList();
		List<String> args = container.getArgs()
			.stream()
			.map((part) -> PodEnvironment.expand(part, environment))
			.toList();
		if (!command.isEmpty()) {
			// Docker's --entrypoint also drops the image's CMD, as a Kubernetes command
			// does.
			run.addAll(List.of("--entrypoint", command.get(0), image));
			run.addAll(command.subList(1, command.size()));
		}
		else {
			run.add(image);
		}
		run.addAll(args);
		DockerPod started = new DockerPod(name, containerName, template, grace);
		this.pods.add(started);
		Command.output(DOCKER, run.toArray(String[]::new));
		return started;
	}

	private List<String> security(String name, String image, PodSpec pod, Container container) {
		PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext())
			.orElseGet(PodSecurityContext::new);
		SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
		assertThat(context.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
		assertThat(Optional.ofNullable(context.getSeccompProfile()).orElse(podContext.getSeccompProfile()))
			.as("%s: Docker's default seccomp profile stands for RuntimeDefault", name)
			.satisfiesAnyOf((profile) -> assertThat(profile).isNull(),
					(profile) -> assertThat(profile.getType()).isEqualTo("RuntimeDefault"));
		List<String> options = new ArrayList<>();
		Long user = Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser());
		Long group = Optional.ofNullable(context.getRunAsGroup()).orElse(podContext.getRunAsGroup());
		if (Boolean.TRUE.equals(Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()))) {
			// The kubelet refuses to start a container whose user it cannot tell is not
			// root.
			String imageUser = (user != null) ? user.toString()
					: Command.output(DOCKER, "docker", "image", "inspect", "--format", "{{.Config.User}}", image)
						.trim();
			assertThat(imageUser).as("%s: runAsNonRoot needs a numeric user, in the image or the pod", name)
				.matches("[0-9]+(:.*)?");
			assertThat(Long.parseLong(imageUser.split(":")[0])).as("%s: runAsNonRoot", name).isNotZero();
		}
		if (user != null) {
			options.addAll(List.of("--user", user + ((group != null) ? ":" + group : "")));
		}
		Optional.ofNullable(podContext.getFsGroup())
			.ifPresent((fsGroup) -> options.addAll(List.of("--group-add", fsGroup.toString())));
		podContext.getSupplementalGroups()
			.forEach((supplemental) -> options.addAll(List.of("--group-add", supplemental.toString())));
		if (Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
			options.add("--read-only");
		}
		if (Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
			options.addAll(List.of("--security-opt", "no-new-privileges"));
		}
		if (context.getCapabilities() != null) {
			context.getCapabilities()
				.getDrop()
				.forEach((capability) -> options.addAll(List.of("--cap-drop", capability)));
			context.getCapabilities()
				.getAdd()
				.forEach((capability) -> options.addAll(List.of("--cap-add", capability)));
		}
		Map<String, String> sysctls = new LinkedHashMap<>(RUNTIME_SYSCTLS);
		podContext.getSysctls().forEach((sysctl) -> sysctls.put(sysctl.getName(), sysctl.getValue()));
		sysctls.forEach((sysctl, value) -> options.addAll(List.of("--sysctl", sysctl + "=" + value)));
		return options;
	}

	private static List<String> limits(Container container) {
		List<String> options = new ArrayList<>();
		if (container.getResources() == null) {
			return options;
		}
		Map<String, Quantity> limits = container.getResources().getLimits();
		if (limits.containsKey("memory")) {
			options
				.addAll(List.of("--memory", Quantity.getAmountInBytes(limits.get("memory")).toBigInteger().toString()));
		}
		if (limits.containsKey("cpu")) {
			options.addAll(List.of("--cpus", limits.get("cpu").getNumericalAmount().toPlainString()));
		}
		Quantity cpu = container.getResources().getRequests().get("cpu");
		if (cpu != null) {
			// The kubelet's conversion of a CPU request into cgroup shares.
			long shares = Math.max(2, cpu.getNumericalAmount().movePointRight(3).longValue() * 1024 / 1000);
			options.addAll(List.of("--cpu-shares", Long.toString(shares)));
		}
		return options;
	}

	List<DockerPod> pods() {
		return this.pods;
	}

	/** Removes every container, the network and the volumes' directories. */
	@Override
	public void close() {
		for (DockerPod pod : this.pods) {
			Command.run(DOCKER, "docker", "rm", "--force", "--volumes", pod.container());
		}
		Command.run(DOCKER, "docker", "network", "rm", this.prefix);
		this.volumes.close();
	}

}
