package dockercoins.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import dockercoins.containers.Manifests.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The Kubernetes manifests of {@code k8s/}, the base and each overlay as
 * {@code kubectl kustomize} renders them, read strictly and checked offline.
 */
class KubernetesManifestsTests {

	/**
	 * The course's components: a Deployment each (rng may be a DaemonSet), labelled
	 * app=name.
	 */
	private static final List<String> COMPONENTS = List.of("hasher", "redis", "rng", "webui", "worker");

	/** The Java services, which serve on port 80 in their images, the actuator too. */
	private static final List<String> JAVA_SERVICES = List.of("hasher", "rng", "webui", "worker");

	/** The course's Services: every component but the worker, on these ports. */
	private static final Map<String, Integer> SERVICE_PORTS = Map.of("hasher", 80, "redis", 6379, "rng", 80, "webui",
			80);

	/**
	 * The longest a worker takes to report its last loops and exit on SIGTERM
	 * (docs/reference.md, "Redis data").
	 */
	private static final int WORKER_STOP_SECONDS = 3;

	/** The volume types the restricted Pod Security Standard allows. */
	private static final Set<String> RESTRICTED_VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
			"ephemeral", "persistentVolumeClaim", "projected", "secret");

	/**
	 * The sysctls of the baseline (and restricted) Pod Security Standard: the safe set.
	 */
	private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
			"net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
			"net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
			"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

	private static final String PORT_SYSCTL = "net.ipv4.ip_unprivileged_port_start";

	private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	/** The base (k8s/, as kubectl apply -k k8s/ takes it) and every overlay. */
	static Stream<String> kustomizations() throws IOException {
		try (Stream<Path> overlays = Files.list(Command.REPOSITORY.resolve("k8s/overlays"))) {
			List<String> names = overlays.filter(Files::isDirectory)
				.map((overlay) -> "k8s/overlays/" + overlay.getFileName())
				.sorted()
				.toList();
			return Stream.concat(Stream.of("k8s"), names.stream());
		}
	}

	private static Manifests rendered(String directory) {
		return RENDERED.computeIfAbsent(directory, Manifests::render);
	}

	@Test
	void readingFailsOnAMisspeltFieldOrAnUnknownKind() {
		String deployment = """
				apiVersion: apps/v1
				kind: Deployment
				metadata: {name: rng}
				spec:
				  template:
				    spec:
				      containers:
				      - name: rng
				        readinessProbe: {httpGet: {path: /, prot: 80}}
				""";
		assertThatIllegalArgumentException().isThrownBy(() -> Manifests.parse("test", deployment))
			.withMessageContaining(
					"unknown field Deployment/rng.spec.template.spec.containers[0].readinessProbe.httpGet.prot");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Manifests.parse("test",
					"apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: rng}\nspec: {replicas: 1}\n"))
			.withMessageContaining("unknown field DaemonSet/rng.spec.replicas");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Manifests.parse("test", "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: rng}\n"))
			.withMessageContaining("unknown kind: apps/v1 Deploymnet rng");
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void rendersObjectsOfKnownKindsWithKnownFieldsAndUniqueNames(String directory) {
		Manifests manifests = rendered(directory);
		assertThat(manifests.objects()).isNotEmpty();
		assertThat(manifests.objects()).extracting((object) -> object.getKind() + "/" + object.getMetadata().getName())
			.doesNotHaveDuplicates();
	}

	@Test
	void basePlainFileHoldsTheSameObjectsWithoutRequestsAndLimits() {
		Manifests file = Manifests.read("k8s/base/dockercoins.yaml");
		assertThat(file.objects()).extracting((object) -> object.getKind() + "/" + object.getMetadata().getName())
			.containsExactlyInAnyOrderElementsOf(rendered("k8s").objects()
				.stream()
				.map((object) -> object.getKind() + "/" + object.getMetadata().getName())
				.toList());
		// Requests and limits are in one place, k8s/base/resources.yaml.
		assertThat(file.workloads()).flatExtracting(Workload::containers)
			.allSatisfy((container) -> assertThat(container.getResources()).isNull());
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void componentsKeepTheCoursesNamesLabelsSelectorsAndImages(String directory) {
		Manifests manifests = rendered(directory);
		for (String name : COMPONENTS) {
			Workload workload = manifests.workload(name);
			Map<String, String> app = Map.of("app", name);
			assertThat(workload.kind()).as(name).isIn("Deployment", name.equals("rng") ? "DaemonSet" : "Deployment");
			assertThat(workload.object().getMetadata().getLabels()).as(name).containsAllEntriesOf(app);
			assertThat(workload.selector().getMatchLabels()).as(name).isEqualTo(app);
			assertThat(workload.selector().getMatchExpressions()).as(name).isEmpty();
			assertThat(workload.labels()).as(name).containsAllEntriesOf(app);
			assertThat(workload.containers()).as(name).hasSize(1);
			String image = workload.container(name).getImage();
			if (name.equals("redis")) {
				assertThat(image).as(name).matches("redis(:[\\w.-]+)?");
			}
			else {
				assertThat(image).as(name).isEqualTo("dockercoins/" + name + ":v0.1");
			}
		}
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void servicesAreTheCoursesAndSendTrafficToADeclaredPort(String directory) {
		Manifests manifests = rendered(directory);
		SERVICE_PORTS.forEach((name, port) -> {
			Service service = manifests.get(Service.class, name);
			assertThat(service.getSpec().getSelector()).as(name).isEqualTo(Map.of("app", name));
			assertThat(service.getSpec().getPorts()).as(name).singleElement().satisfies((servicePort) -> {
				assertThat(servicePort.getPort()).isEqualTo(port);
				assertThat(servicePort.getProtocol()).isEqualTo("TCP");
			});
		});
		assertThat(manifests.find(Service.class, "worker")).isEmpty();
		assertThat(manifests.get(Service.class, "webui").getSpec().getType()).isEqualTo("NodePort");
		for (Service service : manifests.all(Service.class).toList()) {
			String name = service.getMetadata().getName();
			List<Workload> selected = manifests.selectedBy(service);
			assertThat(selected).as("pods selected by Service %s", name).hasSize(1);
			for (var servicePort : service.getSpec().getPorts()) {
				Optional<ContainerPort> target = selected.get(0).port(servicePort.getTargetPort());
				assertThat(target).as("target port of Service %s", name).isPresent();
				if (SERVICE_PORTS.containsKey(name)) {
					assertThat(target.get().getContainerPort()).as(name).isEqualTo(SERVICE_PORTS.get(name));
				}
			}
		}
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void javaServicesProbeTheActuatorOnThePortTheyServe(String directory) {
		Manifests manifests = rendered(directory);
		for (String name : JAVA_SERVICES) {
			Workload workload = manifests.workload(name);
			Container container = workload.container(name);
			assertThat(httpGet(container.getStartupProbe(), name)).extracting(HTTPGetAction::getPath)
				.isEqualTo("/actuator/health/liveness");
			// Liveness never depends on Redis: the liveness group, never readiness or
			// health.
			assertThat(httpGet(container.getLivenessProbe(), name)).extracting(HTTPGetAction::getPath)
				.isEqualTo("/actuator/health/liveness");
			assertThat(httpGet(container.getReadinessProbe(), name)).extracting(HTTPGetAction::getPath)
				.isEqualTo("/actuator/health/readiness");
			int serverPort = container.getEnv()
				.stream()
				.filter((env) -> env.getName().equals("SERVER_PORT"))
				.map((env) -> Integer.parseInt(env.getValue()))
				.findFirst()
				.orElse(80);
			for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
					container.getReadinessProbe())) {
				assertThat(workload.port(probe.getHttpGet().getPort())).as("%s probe port", name)
					.get()
					.extracting(ContainerPort::getContainerPort)
					.isEqualTo(serverPort);
			}
		}
	}

	private static HTTPGetAction httpGet(Probe probe, String name) {
		assertThat(probe).as("%s probe", name).isNotNull();
		assertThat(probe.getHttpGet()).as("%s probe", name).isNotNull();
		return probe.getHttpGet();
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void everyProbeIsOnADeclaredPortOrACommand(String directory) {
		for (Workload workload : rendered(directory).workloads()) {
			for (Container container : workload.containers()) {
				for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(),
						container.getReadinessProbe())) {
					assertThat(probe).as("probes of %s", workload.name()).isNotNull();
					if (probe.getHttpGet() != null) {
						assertThat(workload.port(probe.getHttpGet().getPort())).as("probe port of %s", workload.name())
							.isPresent();
					}
					else {
						assertThat(probe.getExec()).as("probe of %s", workload.name()).isNotNull();
					}
				}
			}
		}
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void podsPassTheRestrictedPodSecurityStandard(String directory) {
		for (Workload workload : rendered(directory).workloads()) {
			String name = workload.name();
			PodSpec pod = workload.template().getSpec();
			PodSecurityContext podContext = pod.getSecurityContext();
			assertThat(podContext).as(name).isNotNull();
			assertThat(pod.getHostNetwork()).as(name).isNotEqualTo(Boolean.TRUE);
			assertThat(pod.getHostPID()).as(name).isNotEqualTo(Boolean.TRUE);
			assertThat(pod.getHostIPC()).as(name).isNotEqualTo(Boolean.TRUE);
			assertThat(pod.getVolumes()).as(name)
				.allSatisfy((volume) -> assertThat(volumeType(volume)).isIn(RESTRICTED_VOLUME_TYPES));
			assertThat(podContext.getSysctls()).as(name).extracting(Sysctl::getName).allMatch(SAFE_SYSCTLS::contains);
			assertThat(podContext.getRunAsUser()).as(name).isNotEqualTo(0L);
			for (Container container : pod.getContainers()) {
				SecurityContext context = container.getSecurityContext();
				assertThat(context).as(name).isNotNull();
				assertThat(Optional.ofNullable(context.getRunAsNonRoot()).orElse(podContext.getRunAsNonRoot()))
					.as("%s runAsNonRoot", name)
					.isTrue();
				// A numeric user in the manifest: the kubelet cannot check a user named
				// in an image.
				assertThat(Optional.ofNullable(context.getRunAsUser()).orElse(podContext.getRunAsUser()))
					.as("%s runAsUser", name)
					.isNotNull()
					.isPositive();
				assertThat(Optional.ofNullable(context.getRunAsGroup()).orElse(podContext.getRunAsGroup()))
					.as("%s runAsGroup", name)
					.isNotNull()
					.isPositive();
				var seccomp = Optional.ofNullable(context.getSeccompProfile()).orElse(podContext.getSeccompProfile());
				assertThat(seccomp).as("%s seccompProfile", name).isNotNull();
				assertThat(seccomp.getType()).as("%s seccompProfile", name).isIn("RuntimeDefault", "Localhost");
				assertThat(context.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", name).isFalse();
				assertThat(context.getPrivileged()).as(name).isNotEqualTo(Boolean.TRUE);
				assertThat(context.getCapabilities().getDrop()).as("%s dropped capabilities", name).contains("ALL");
				assertThat(context.getCapabilities().getAdd()).as("%s added capabilities", name)
					.isSubsetOf("NET_BIND_SERVICE");
				assertThat(container.getPorts()).as(name).allSatisfy((port) -> assertThat(port.getHostPort()).isNull());
				// Beyond the standard: no container writes to its image's file system.
				assertThat(context.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", name).isTrue();
			}
		}
	}

	private static String volumeType(Volume volume) {
		Map<String, Object> fields = SERIALIZATION.convertValue(volume, Map.class);
		return fields.keySet().stream().filter((key) -> !key.equals("name")).findFirst().orElse("none");
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void podsListeningBelowPort1024AsNonRootSetTheUnprivilegedPortSysctl(String directory) {
		for (Workload workload : rendered(directory).workloads()) {
			int lowest = workload.containers()
				.stream()
				.flatMap((container) -> container.getPorts().stream())
				.mapToInt(ContainerPort::getContainerPort)
				.min()
				.orElse(65536);
			if (lowest < 1024) {
				// containerd before 2.0 and CRI-O leave the kernel's 1024: port 80 needs
				// the sysctl.
				assertThat(workload.template().getSpec().getSecurityContext().getSysctls())
					.as("sysctls of %s, which listens on port %d", workload.name(), lowest)
					.anySatisfy((sysctl) -> {
						assertThat(sysctl.getName()).isEqualTo(PORT_SYSCTL);
						assertThat(Integer.parseInt(sysctl.getValue())).isLessThanOrEqualTo(lowest);
					});
			}
		}
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void containersWriteOnlyToTheirVolumes(String directory) {
		Manifests manifests = rendered(directory);
		for (Workload workload : manifests.workloads()) {
			List<String> volumes = workload.template().getSpec().getVolumes().stream().map(Volume::getName).toList();
			for (Container container : workload.containers()) {
				assertThat(container.getVolumeMounts()).as(workload.name())
					.extracting(VolumeMount::getName)
					.allMatch(volumes::contains);
			}
		}
		for (String name : JAVA_SERVICES) {
			Workload workload = manifests.workload(name);
			// The JVM and Tomcat need a writable /tmp.
			assertThat(mountedVolume(workload, name, "/tmp").getEmptyDir()).as("%s /tmp", name).isNotNull();
		}
		// Redis writes its append-only file in its working directory, /data.
		Volume data = mountedVolume(manifests.workload("redis"), "redis", "/data");
		assertThat(data.getEmptyDir() != null || data.getPersistentVolumeClaim() != null).as("redis /data").isTrue();
	}

	private static Volume mountedVolume(Workload workload, String container, String path) {
		String volume = workload.container(container)
			.getVolumeMounts()
			.stream()
			.filter((mount) -> mount.getMountPath().equals(path))
			.map(VolumeMount::getName)
			.findFirst()
			.orElseThrow(() -> new AssertionError(container + " mounts nothing at " + path));
		return workload.template()
			.getSpec()
			.getVolumes()
			.stream()
			.filter((declared) -> declared.getName().equals(volume))
			.findFirst()
			.orElseThrow();
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void everyContainerHasRequestsWithinItsLimits(String directory) {
		for (Workload workload : rendered(directory).workloads()) {
			for (Container container : workload.containers()) {
				Map<String, Quantity> requests = container.getResources().getRequests();
				Map<String, Quantity> limits = container.getResources().getLimits();
				for (String resource : List.of("cpu", "memory")) {
					assertThat(requests).as("%s requests", workload.name()).containsKey(resource);
					assertThat(limits).as("%s limits", workload.name()).containsKey(resource);
					assertThat(requests.get(resource).getNumericalAmount())
						.as("%s %s request", workload.name(), resource)
						.isLessThanOrEqualTo(limits.get(resource).getNumericalAmount());
				}
			}
		}
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void workerHasTimeToReportItsLastLoopsWhenStopped(String directory) {
		Long grace = rendered(directory).workload("worker").template().getSpec().getTerminationGracePeriodSeconds();
		assertThat(grace).isNotNull().isGreaterThanOrEqualTo(2L * WORKER_STOP_SECONDS);
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void javaPodsAskPrometheusToScrapeTheirMetrics(String directory) {
		Manifests manifests = rendered(directory);
		for (String name : JAVA_SERVICES) {
			Workload workload = manifests.workload(name);
			Map<String, String> annotations = workload.template().getMetadata().getAnnotations();
			assertThat(annotations).as(name)
				.containsEntry("prometheus.io/scrape", "true")
				.containsEntry("prometheus.io/path", "/actuator/prometheus")
				.containsKey("prometheus.io/port");
			assertThat(workload.port(new IntOrString(Integer.parseInt(annotations.get("prometheus.io/port")))))
				.as("%s prometheus.io/port", name)
				.get()
				.extracting(ContainerPort::getName)
				.isEqualTo("http");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void prometheusDiscoversEveryJavaPodAndScrapesItsMetricsAndNothingElse() {
		Manifests manifests = rendered("k8s/overlays/prometheus");
		ConfigMap config = manifests.all(ConfigMap.class)
			.filter((map) -> map.getMetadata().getName().startsWith("prometheus"))
			.findFirst()
			.orElseThrow();
		Map<String, Object> prometheus = new Yaml().load(config.getData().get("prometheus.yml"));
		Map<String, Object> job = ((List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
		assertThat((List<Map<String, Object>>) job.get("kubernetes_sd_configs")).singleElement()
			.satisfies((discovery) -> {
				assertThat(discovery).containsEntry("role", "pod");
				assertThat(discovery).containsEntry("namespaces", Map.of("own_namespace", true));
			});
		List<Map<String, Object>> relabelling = (List<Map<String, Object>>) job.get("relabel_configs");
		for (Workload workload : manifests.workloads()) {
			List<Optional<String>> targets = ScrapeTargets.of(workload.template(), "10.1.2.3", relabelling);
			if (JAVA_SERVICES.contains(workload.name())) {
				assertThat(targets).as(workload.name())
					.containsExactly(Optional.of("http://10.1.2.3:80/actuator/prometheus"));
			}
			else {
				assertThat(targets).as(workload.name()).allMatch(Optional::isEmpty);
			}
		}
		// The pods it discovers: those of its namespace, which its Role lets it watch.
		Workload server = manifests.workload("prometheus");
		String account = server.template().getSpec().getServiceAccountName();
		RoleBinding binding = manifests.get(RoleBinding.class, "prometheus");
		assertThat(binding.getSubjects()).singleElement().satisfies((subject) -> {
			assertThat(subject.getKind()).isEqualTo("ServiceAccount");
			assertThat(subject.getName()).isEqualTo(account);
		});
		Role role = manifests.get(Role.class, binding.getRoleRef().getName());
		assertThat(role.getRules()).anySatisfy((rule) -> {
			assertThat(rule.getResources()).contains("pods");
			assertThat(rule.getVerbs()).contains("list", "watch");
		});
		assertThat(server.container("prometheus").getArgs())
			.contains("--config.file=/etc/prometheus/" + config.getData().keySet().iterator().next());
	}

	@ParameterizedTest
	@MethodSource("kustomizations")
	void redisAndItsClientsTakeThePasswordFromTheSameOptionalSecret(String directory) {
		Manifests manifests = rendered(directory);
		Workload redis = manifests.workload("redis");
		Secret redisSecret = secret(redis, "redis");
		String passwordFile = redisSecret.mountPath() + "/" + redisSecret.path();
		assertThat(String.join(" ", redis.container("redis").getCommand())).contains(passwordFile)
			.contains("requirepass");
		assertThat(String.join(" ", redis.container("redis").getReadinessProbe().getExec().getCommand()))
			.contains(passwordFile)
			.contains("REDISCLI_AUTH");
		for (String client : List.of("worker", "webui")) {
			Workload workload = manifests.workload(client);
			Secret secret = secret(workload, client);
			assertThat(secret.source().getSecretName()).as(client).isEqualTo(redisSecret.source().getSecretName());
			assertThat(secret.key()).as(client).isEqualTo(redisSecret.key());
			// Spring reads every file of DOCKERCOINS_SECRETS as the property it is named
			// after.
			assertThat(secret.path()).as(client).isEqualTo("spring.data.redis.password");
			String secrets = workload.container(client)
				.getEnv()
				.stream()
				.filter((env) -> env.getName().equals("DOCKERCOINS_SECRETS"))
				.map(EnvVar::getValue)
				.findFirst()
				.orElse("/run/secrets/");
			assertThat(secret.mountPath() + "/").as(client).isEqualTo(secrets);
		}
	}

	/** The one Secret a container mounts, with the item it reads and where. */
	private static Secret secret(Workload workload, String container) {
		PodSpec pod = workload.template().getSpec();
		Volume volume = pod.getVolumes()
			.stream()
			.filter((candidate) -> candidate.getSecret() != null)
			.collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), (secrets) -> {
				assertThat(secrets).as("secret volumes of %s", container).hasSize(1);
				return secrets.get(0);
			}));
		SecretVolumeSource source = volume.getSecret();
		assertThat(source.getOptional()).as("%s: the Secret is optional", container).isTrue();
		assertThat(source.getItems()).as(container).hasSize(1);
		VolumeMount mount = workload.container(container)
			.getVolumeMounts()
			.stream()
			.filter((candidate) -> candidate.getName().equals(volume.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError(container + " does not mount " + volume.getName()));
		assertThat(mount.getReadOnly()).as(container).isTrue();
		// Readable by the container's user: through its group (fsGroup) or by all.
		int mode = Optional.ofNullable(source.getDefaultMode()).orElse(0644);
		Long group = pod.getSecurityContext().getFsGroup();
		assertThat(((mode & 0040) != 0 && group != null && group.equals(pod.getSecurityContext().getRunAsGroup()))
				|| (mode & 0004) != 0)
			.as("%s can read the Secret (mode %o, fsGroup %s)", container, mode, group)
			.isTrue();
		return new Secret(source, source.getItems().get(0).getKey(), source.getItems().get(0).getPath(),
				mount.getMountPath());
	}

	private record Secret(SecretVolumeSource source, String key, String path, String mountPath) {
	}

	@Test
	void daemonSetOverlayRunsRngOnEveryNodeWithTheBasesPodTemplate() {
		Manifests overlay = rendered("k8s/overlays/daemonset");
		assertThat(overlay.find(Deployment.class, "rng")).isEmpty();
		assertThat(overlay.get(DaemonSet.class, "rng").getSpec().getTemplate())
			.isEqualTo(rendered("k8s").get(Deployment.class, "rng").getSpec().getTemplate());
	}

	@Test
	void nodePortOverlayPublishesTheWebUiOnAPortKnownInAdvance() {
		Service webui = rendered("k8s/overlays/nodeport").get(Service.class, "webui");
		assertThat(webui.getSpec().getType()).isEqualTo("NodePort");
		assertThat(webui.getSpec().getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getNodePort()).isEqualTo(30080));
	}

	@Test
	void bottleneckOverlayRunsTenWorkersAgainstOneRng() {
		Manifests overlay = rendered("k8s/overlays/bottleneck");
		assertThat(overlay.workload("worker").replicas()).isEqualTo(10);
		assertThat(overlay.workload("rng").replicas()).isEqualTo(1);
		assertThat(overlay.workload("hasher").replicas()).isEqualTo(1);
	}

	@Test
	void persistentRedisOverlayKeepsTheAppendOnlyFileOnAClaim() {
		Manifests overlay = rendered("k8s/overlays/persistent-redis");
		Volume data = mountedVolume(overlay.workload("redis"), "redis", "/data");
		assertThat(data.getEmptyDir()).isNull();
		PersistentVolumeClaim claim = overlay.get(PersistentVolumeClaim.class,
				data.getPersistentVolumeClaim().getClaimName());
		// A ReadWriteOnce volume is held by one pod: the old Redis must stop before the
		// new starts.
		assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
		assertThat(overlay.get(Deployment.class, "redis").getSpec().getStrategy().getType()).isEqualTo("Recreate");
	}

	@Test
	void networkPoliciesLetThroughTheConnectionsTheApplicationMakesAndNoOther() {
		Manifests overlay = rendered("k8s/overlays/network-policies");
		IngressRules rules = new IngressRules(overlay.all(NetworkPolicy.class).toList());
		Workload rng = overlay.workload("rng");
		Workload hasher = overlay.workload("hasher");
		Workload worker = overlay.workload("worker");
		Workload webui = overlay.workload("webui");
		Workload redis = overlay.workload("redis");
		Workload prometheus = rendered("k8s/overlays/prometheus").workload("prometheus");
		assertThat(rules.allow(worker, rng, 80)).as("worker to rng").isTrue();
		assertThat(rules.allow(worker, hasher, 80)).as("worker to hasher").isTrue();
		assertThat(rules.allow(worker, redis, 6379)).as("worker to redis").isTrue();
		assertThat(rules.allow(webui, redis, 6379)).as("webui to redis").isTrue();
		assertThat(rules.allow(null, webui, 80)).as("a browser to webui").isTrue();
		for (Workload scraped : List.of(rng, hasher, worker, webui)) {
			assertThat(rules.allow(prometheus, scraped, 80)).as("prometheus to %s", scraped.name()).isTrue();
		}
		assertThat(rules.allow(null, rng, 80)).as("outside to rng").isFalse();
		assertThat(rules.allow(null, redis, 6379)).as("outside to redis").isFalse();
		assertThat(rules.allow(webui, rng, 80)).as("webui to rng").isFalse();
		assertThat(rules.allow(rng, redis, 6379)).as("rng to redis").isFalse();
		assertThat(rules.allow(hasher, redis, 6379)).as("hasher to redis").isFalse();
		assertThat(rules.allow(prometheus, redis, 6379)).as("prometheus to redis").isFalse();
		assertThat(rules.allow(worker, webui, 81)).as("worker to webui on another port").isFalse();
	}

	@Test
	void anImageSetAsKustomizeEditSetImageDoesChangesOneComponentOnly() throws IOException {
		// What `kustomize edit set image dockercoins/worker:v0.2` writes in a
		// kustomization.yaml.
		Path overlay = Command.REPOSITORY.resolve("containers/target/kustomize-edit-set-image");
		Files.createDirectories(overlay);
		Files.writeString(overlay.resolve("kustomization.yaml"), """
				resources:
				- ../../../k8s
				images:
				- name: dockercoins/worker
				  newTag: v0.2
				""");
		Manifests edited = Manifests.render(Command.REPOSITORY.relativize(overlay).toString());
		Manifests base = rendered("k8s");
		for (String name : COMPONENTS) {
			String image = edited.workload(name).container(name).getImage();
			assertThat(image).as(name)
				.isEqualTo(name.equals("worker") ? "dockercoins/worker:v0.2"
						: base.workload(name).container(name).getImage());
		}
	}

}
