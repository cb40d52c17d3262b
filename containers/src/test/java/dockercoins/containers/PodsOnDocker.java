package dockercoins.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Runs the pods of Kubernetes manifests on the Docker engine, each as one container: no
 * Kubernetes runs here. Each gets what the kubelet would give the pod: image, command,
 * environment (the Services' variables too), user, groups, read-only root, capabilities,
 * no-new-privileges, sysctls, limits, emptyDir and Secret volumes, liveness restarts; on
 * one network, under the names of the Services that send it traffic. What no manifest
 * here uses is not known, and fails the test rather than run differently.
 */
final class PodsOnDocker implements AutoCloseable {

	/** The kernel's default, left by containerd before 2.0 and CRI-O (Docker sets 0). */
	private static final Map<String, String> RUNTIME_SYSCTLS = Map.of("net.ipv4.ip_unprivileged_port_start", "1024");

	private static final Duration DOCKER = Duration.ofMinutes(1);

	private final List<Service> services;

	private final String prefix = "pods-" + UUID.randomUUID().toString().substring(0, 8);

	private final Path volumes = Path.of(System.getProperty("java.io.tmpdir"), this.prefix);

	private final Map<String, Map<String, String>> secrets;

	/** The pods, each with the thread that probes its liveness. */
	private final Map<Pod, Thread> pods = new ConcurrentHashMap<>();

	/** Pods with the Services of {@code manifests} and these Secrets' data, by name. */
	PodsOnDocker(Manifests manifests, Map<String, Map<String, String>> secrets) {
		this.services = manifests.all(Service.class).toList();
		this.secrets = secrets;
		Command.output(DOCKER, "docker", "network", "create", this.prefix);
	}

	/** Starts one pod of a template, named {@code name}. */
	Pod start(String name, PodTemplateSpec template) throws IOException {
		PodSpec pod = template.getSpec();
		assertThat(pod.getContainers()).as("%s: one container per pod here", name).hasSize(1);
		assertThat(pod.getInitContainers()).as(name).isEmpty();
		Container container = pod.getContainers().get(0);
		// Not known here, as no manifest uses them.
		assertThat(List.of(container.getCommand(), container.getArgs(), container.getEnv()).toString()).as(name)
			.doesNotContain("$(");
		assertThat(container.getEnv()).as(name).allMatch((variable) -> variable.getValueFrom() == null);
		assertThat(container.getVolumeMounts()).as(name).allMatch((mount) -> mount.getSubPath() == null);
		assertThat(container.getWorkingDir()).as(name).isNull();
		Images.require(container.getImage());
		String containerName = this.prefix + "-" + name;
		List<String> run = new ArrayList<>(List.of("docker", "run", "--detach", "--name", containerName, "--hostname",
				name, "--network", this.prefix));
		for (Service service : this.services.stream().filter((s) -> Manifests.sendsTrafficTo(s, template)).toList()) {
			ServicePort port = service.getSpec().getPorts().getFirst();
			IntOrString target = Optional.ofNullable(port.getTargetPort()).orElse(new IntOrString(port.getPort()));
			// A network alias stands for the Service: it cannot map one port to another.
			assertThat(Manifests.port(template, target).map(ContainerPort::getContainerPort).orElse(target.getIntVal()))
				.as("%s: the target port of Service %s", name, service.getMetadata().getName())
				.isEqualTo(port.getPort());
			run.add("--network-alias=" + service.getMetadata().getName());
		}
		run.addAll(security(name, pod, container));
		run.addAll(limits(container));
		environment(pod, container).forEach((variable, value) -> run.add("--env=" + variable + "=" + value));
		for (VolumeMount mount : container.getVolumeMounts()) {
			run.add("--volume=" + volume(name, pod, mount.getName()) + ":" + mount.getMountPath()
					+ (Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : ""));
		}
		container.getPorts().forEach((port) -> run.add("--publish=127.0.0.1::" + port.getContainerPort()));
		long grace = Optional.ofNullable(pod.getTerminationGracePeriodSeconds()).orElse(30L);
		run.add("--stop-timeout=" + grace);
		if (!container.getCommand().isEmpty()) {
			// Docker's --entrypoint drops the image's CMD too, as a command does.
			run.add("--entrypoint=" + container.getCommand().getFirst());
		}
		run.add(container.getImage());
		run.addAll(container.getCommand().stream().skip(1).toList());
		run.addAll(container.getArgs());
		Pod started = new Pod(name, containerName, template, grace, new AtomicInteger());
		Command.output(DOCKER, run.toArray(String[]::new));
		this.pods.put(started, Thread.ofVirtual().start(started::probeLiveness));
		return started;
	}

	private static List<String> security(String name, PodSpec pod, Container container) {
		PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext())
			.orElseGet(PodSecurityContext::new);
		SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
		List<String> options = new ArrayList<>();
		Long user = Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser());
		Long group = Optional.ofNullable(context.getRunAsGroup()).orElse(podContext.getRunAsGroup());
		// The kubelet would look for a numeric user in the image; no manifest here needs
		// it.
		assertThat(Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()))
			.as("%s: runAsNonRoot with a user other than 0", name)
			.isIn(null, false, user != null && user != 0);
		if (user != null) {
			options.add("--user=" + user + ((group != null) ? ":" + group : ""));
		}
		Stream.concat(Stream.ofNullable(podContext.getFsGroup()), podContext.getSupplementalGroups().stream())
			.forEach((extra) -> options.add("--group-add=" + extra));
		if (Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
			options.add("--read-only");
		}
		if (Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
			options.add("--security-opt=no-new-privileges");
		}
		if (context.getCapabilities() != null) {
			context.getCapabilities().getDrop().forEach((drop) -> options.add("--cap-drop=" + drop));
			context.getCapabilities().getAdd().forEach((add) -> options.add("--cap-add=" + add));
		}
		Map<String, String> sysctls = new LinkedHashMap<>(RUNTIME_SYSCTLS);
		podContext.getSysctls().forEach((sysctl) -> sysctls.put(sysctl.getName(), sysctl.getValue()));
		sysctls.forEach((sysctl, value) -> options.add("--sysctl=" + sysctl + "=" + value));
		return options;
	}

	private static List<String> limits(Container container) {
		ResourceRequirements resources = Optional.ofNullable(container.getResources())
			.orElseGet(ResourceRequirements::new);
		List<String> options = new ArrayList<>();
		Optional.ofNullable(resources.getLimits().get("memory"))
			.ifPresent((memory) -> options
				.addAll(List.of("--memory", Quantity.getAmountInBytes(memory).toBigInteger().toString())));
		Optional.ofNullable(resources.getLimits().get("cpu"))
			.ifPresent((cpu) -> options.add("--cpus=" + cpu.getNumericalAmount().toPlainString()));
		// The kubelet's conversion of a CPU request into cgroup shares.
		Optional.ofNullable(resources.getRequests().get("cpu"))
			.ifPresent((cpu) -> options.addAll(List.of("--cpu-shares",
					Long.toString(Math.max(2, cpu.getNumericalAmount().movePointRight(3).longValue() * 1024 / 1000)))));
		return options;
	}

	/**
	 * The kubelet's: the Services' variables (made-up addresses), the container's own.
	 */
	private Map<String, String> environment(PodSpec pod, Container container) {
		Map<String, String> environment = new LinkedHashMap<>();
		serviceVariables(environment, "kubernetes", "10.96.0.1",
				new ServicePort(null, "https", null, 443, "TCP", null));
		for (int i = 0; !Boolean.FALSE.equals(pod.getEnableServiceLinks()) && i < this.services.size(); i++) {
			Service service = this.services.get(i);
			serviceVariables(environment, service.getMetadata().getName(), "10.96.1." + (i + 1),
					service.getSpec().getPorts().getFirst());
		}
		container.getEnv().forEach((variable) -> environment.put(variable.getName(), variable.getValue()));
		return environment;
	}

	private static void serviceVariables(Map<String, String> environment, String service, String ip, ServicePort port) {
		String prefix = service.toUpperCase().replace('-', '_');
		String number = Integer.toString(port.getPort());
		String address = "tcp://" + ip + ":" + number;
		String tcp = prefix + "_PORT_" + number + "_TCP";
		environment.putAll(Map.of(prefix + "_SERVICE_HOST", ip, prefix + "_SERVICE_PORT", number, prefix + "_PORT",
				address, tcp, address, tcp + "_PROTO", "tcp", tcp + "_PORT", number, tcp + "_ADDR", ip));
		if (port.getName() != null) {
			environment.put(prefix + "_SERVICE_PORT_" + port.getName().toUpperCase().replace('-', '_'), number);
		}
	}

	/**
	 * A pod's volume as the kubelet makes it: an emptyDir writable by all, of the
	 * fsGroup; a Secret's files in a directory that {@code ..data} points to, a link per
	 * file.
	 */
	private Path volume(String podName, PodSpec pod, String volumeName) throws IOException {
		Volume volume = pod.getVolumes()
			.stream()
			.filter((declared) -> declared.getName().equals(volumeName))
			.findFirst()
			.orElseThrow(() -> new AssertionError(podName + " mounts an undeclared volume " + volumeName));
		Long fsGroup = Optional.ofNullable(pod.getSecurityContext()).map(PodSecurityContext::getFsGroup).orElse(null);
		Path directory = this.volumes.resolve(podName).resolve(volumeName);
		if (volume.getEmptyDir() != null) {
			assertThat(volume.getEmptyDir().getMedium()).as("%s: emptyDir on disk", podName).isIn(null, "");
			setOwnerAndMode(Files.createDirectories(directory), fsGroup, (fsGroup != null) ? 02777 : 0777);
		}
		else {
			assertThat(volume.getSecret()).as("%s: volume %s of a type not known here", podName, volumeName)
				.isNotNull();
			writeSecret(podName, Files.createDirectories(directory), volume.getSecret(), fsGroup);
		}
		return directory;
	}

	private void writeSecret(String podName, Path directory, SecretVolumeSource source, Long fsGroup)
			throws IOException {
		Map<String, String> data = this.secrets.get(source.getSecretName());
		if (data == null) {
			assertThat(source.getOptional())
				.as("%s: Secret %s does not exist and is not optional", podName, source.getSecretName())
				.isTrue();
			return;
		}
		Path timestamped = Files.createDirectory(directory.resolve("..2026_01_01_00_00_00.000000000"));
		Files.createSymbolicLink(directory.resolve("..data"), timestamped.getFileName());
		int mode = Optional.ofNullable(source.getDefaultMode()).orElse(0644) | ((fsGroup != null) ? 0440 : 0);
		assertThat(source.getItems()).as("%s: Secret items, as no manifest here does without", podName).isNotEmpty();
		for (KeyToPath item : source.getItems()) {
			assertThat(data).as("%s: Secret %s", podName, source.getSecretName()).containsKey(item.getKey());
			Path file = Files.writeString(timestamped.resolve(item.getPath()), data.get(item.getKey()));
			setOwnerAndMode(file, fsGroup, Optional.ofNullable(item.getMode()).orElse(mode));
			Files.createSymbolicLink(directory.resolve(item.getPath()), Path.of("..data", item.getPath()));
		}
		setOwnerAndMode(timestamped, fsGroup, 0755);
		setOwnerAndMode(directory, fsGroup, 0755);
	}

	private static void setOwnerAndMode(Path path, Long group, int mode) throws IOException {
		if (group != null) {
			Files.setAttribute(path, "unix:gid", group.intValue());
		}
		Files.setAttribute(path, "unix:mode", mode);
	}

	/** Deletes a pod: its container goes at once, as with a zero grace period. */
	void delete(Pod pod) {
		this.pods.remove(pod).interrupt();
		Command.run(DOCKER, "docker", "rm", "--force", "--volumes", pod.container());
	}

	/** Deletes every pod, the network and the volumes' directories. */
	@Override
	public void close() {
		List.copyOf(this.pods.keySet()).forEach(this::delete);
		Command.run(DOCKER, "docker", "network", "rm", this.prefix);
		// rm, as root: the containers' users own some of the files.
		Command.run(DOCKER, "rm", "-rf", this.volumes.toString());
	}

	/**
	 * A pod that {@link PodsOnDocker} runs as one container, named {@code container},
	 * probed and restarted as the kubelet probes and restarts it.
	 */
	record Pod(String name, String container, PodTemplateSpec template, long gracePeriodSeconds,
			AtomicInteger restarts) {

		private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

		Container spec() {
			return this.template.getSpec().getContainers().get(0);
		}

		/**
		 * Waits for the readiness probe to pass (without one, for the container to run).
		 */
		void awaitReady(Duration atMost) {
			Probe readiness = spec().getReadinessProbe();
			try {
				await().atMost(atMost)
					.pollInterval(
							Duration.ofSeconds((readiness != null) ? orDefault(readiness.getPeriodSeconds(), 10) : 1))
					.failFast(this.name + " exited", () -> !running())
					.until(() -> readiness == null || passes(readiness));
			}
			catch (ConditionTimeoutException | TerminalFailureException ex) {
				List<String> lines = logs().lines().toList();
				fail("%s is not ready (%s); its last lines:%n%s", this.name, ex.getMessage(),
						String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
			}
		}

		/**
		 * The kubelet's liveness probing, without its back-off: after the startup probe
		 * and the initial delay, failureThreshold failures in a row restart the
		 * container.
		 */
		void probeLiveness() {
			Probe liveness = spec().getLivenessProbe();
			Probe startup = spec().getStartupProbe();
			try {
				while (liveness != null) {
					long started = System.nanoTime();
					while (startup != null && !passes(startup)) {
						Thread.sleep(Duration.ofSeconds(orDefault(startup.getPeriodSeconds(), 10)));
					}
					Thread.sleep(Math.max(0, orDefault(liveness.getInitialDelaySeconds(), 0) * 1000L
							- (System.nanoTime() - started) / 1_000_000));
					for (int failures = 0; failures < orDefault(liveness.getFailureThreshold(), 3);) {
						Thread.sleep(Duration.ofSeconds(orDefault(liveness.getPeriodSeconds(), 10)));
						failures = passes(liveness) ? 0 : failures + 1;
					}
					this.restarts.incrementAndGet();
					Command.output(Duration.ofSeconds(this.gracePeriodSeconds + 30), "docker", "restart", "--time",
							Long.toString(this.gracePeriodSeconds), this.container);
				}
			}
			catch (InterruptedException | IllegalStateException ex) {
				// Deleted (Command throws IllegalStateException when interrupted).
			}
		}

		/** A probe's field, or Kubernetes' default where it is not set. */
		private static int orDefault(Integer field, int value) {
			return Optional.ofNullable(field).orElse(value);
		}

		/** Whether a probe passes now: HTTP 200-399, or exit status 0. */
		boolean passes(Probe probe) throws InterruptedException {
			Duration timeout = Duration.ofSeconds(orDefault(probe.getTimeoutSeconds(), 1));
			if (probe.getExec() != null) {
				return exec(timeout, probe.getExec().getCommand()).exitCode() == 0;
			}
			assertThat(probe.getHttpGet()).as("%s: a probe not known here: %s", this.name, probe).isNotNull();
			try {
				HttpRequest request = HttpRequest.newBuilder(url(
						Manifests.port(this.template, probe.getHttpGet().getPort()).orElseThrow().getContainerPort(),
						probe.getHttpGet().getPath()))
					.timeout(timeout)
					.header("User-Agent", "kube-probe/1.32")
					.build();
				int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				return status >= 200 && status < 400;
			}
			catch (IOException | AssertionError ex) {
				return false; // Nothing answers, or no port is published: not running.
			}
		}

		/** A URL of the pod: its container port, published on 127.0.0.1. */
		URI url(int containerPort, String path) {
			String published = Command.output(DOCKER, "docker", "port", this.container, containerPort + "/tcp").trim();
			return URI.create(
					"http://127.0.0.1:" + published.lines().findFirst().orElseThrow().replaceFirst(".*:", "") + path);
		}

		/** Runs a command in the container, as {@code kubectl exec} does. */
		Command exec(String... command) {
			return exec(DOCKER, List.of(command));
		}

		private Command exec(Duration timeout, List<String> command) {
			List<String> exec = new ArrayList<>(List.of("docker", "exec", this.container));
			exec.addAll(command);
			return Command.run(timeout, exec);
		}

		boolean running() {
			return inspect("{{.State.Running}}").equals("true");
		}

		String inspect(String format) {
			return Command.run(DOCKER, "docker", "inspect", "--format", format, this.container).output().trim();
		}

		String logs() {
			Command logs = Command.run(DOCKER, "docker", "logs", this.container);
			return logs.output() + logs.errors();
		}

		/** Stops the pod as the kubelet does: SIGTERM, SIGKILL after the grace period. */
		void stop() {
			Command.output(Duration.ofSeconds(this.gracePeriodSeconds + 30), "docker", "stop", "--time",
					Long.toString(this.gracePeriodSeconds), this.container);
		}

	}

}
