package dockercoins.containers;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/** A pod that {@link DockerPods} runs as a container, probed as the kubelet probes it. */
final class DockerPod {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.followRedirects(HttpClient.Redirect.NORMAL)
		.build();

	private static final Duration DOCKER = Duration.ofMinutes(1);

	private final String name;

	private final String container;

	private final PodTemplateSpec template;

	private final long gracePeriodSeconds;

	DockerPod(String name, String container, PodTemplateSpec template, long gracePeriodSeconds) {
		this.name = name;
		this.container = container;
		this.template = template;
		this.gracePeriodSeconds = gracePeriodSeconds;
	}

	String name() {
		return this.name;
	}

	String container() {
		return this.container;
	}

	long gracePeriodSeconds() {
		return this.gracePeriodSeconds;
	}

	private Container spec() {
		return this.template.getSpec().getContainers().get(0);
	}

	/** Waits until the readiness probe passes, failing at once if the container exits. */
	void awaitReady(Duration atMost) {
		Probe readiness = spec().getReadinessProbe();
		assertThat(readiness).as("%s readiness probe", this.name).isNotNull();
		try {
			await().atMost(atMost)
				.pollInterval(Duration.ofSeconds(Optional.ofNullable(readiness.getPeriodSeconds()).orElse(10)))
				.failFast(this.name + " exited", () -> !running())
				.until(() -> passes(readiness));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			fail("%s is not ready (%s); its last lines:%n%s", this.name, ex.getMessage(), tail(logs(), 30));
		}
	}

	/**
	 * Whether a probe passes now, as the kubelet decides: HTTP 200-399, or exit status 0.
	 */
	boolean passes(Probe probe) {
		Duration timeout = Duration.ofSeconds(Optional.ofNullable(probe.getTimeoutSeconds()).orElse(1));
		if (probe.getHttpGet() != null) {
			int port = port(probe.getHttpGet().getPort());
			try {
				HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url(port, probe.getHttpGet().getPath()))
					.timeout(timeout)
					.header("User-Agent", "kube-probe/1.32")
					.build(), HttpResponse.BodyHandlers.discarding());
				return response.statusCode() >= 200 && response.statusCode() < 400;
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		if (probe.getExec() != null) {
			List<String> exec = new ArrayList<>(List.of("docker", "exec", this.container));
			exec.addAll(probe.getExec().getCommand());
			return Command.run(timeout, exec).exitCode() == 0;
		}
		throw new AssertionError(this.name + ": a probe this test does not know: " + probe);
	}

	/** The container port a probe, Service or annotation names, by number or name. */
	int port(IntOrString port) {
		return spec().getPorts()
			.stream()
			.filter((declared) -> (port.getIntVal() != null) ? port.getIntVal().equals(declared.getContainerPort())
					: port.getStrVal().equals(declared.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError(this.name + " declares no port " + port));
	}

	/** A URL of the pod on this machine: its container port, published on 127.0.0.1. */
	URI url(int containerPort, String path) {
		String published = Command.output(DOCKER, "docker", "port", this.container, containerPort + "/tcp").trim();
		String hostPort = published.lines().findFirst().orElseThrow().replaceFirst(".*:", "");
		return URI.create("http://127.0.0.1:" + hostPort + path);
	}

	/** Runs a command in the container, as {@code kubectl exec} does. */
	Command exec(String... command) {
		List<String> exec = new ArrayList<>(List.of("docker", "exec", this.container));
		exec.addAll(List.of(command));
		return Command.run(DOCKER, exec);
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

	/**
	 * Stops the pod as the kubelet does: SIGTERM, then SIGKILL after the grace period.
	 */
	void stop() {
		Command.output(Duration.ofSeconds(this.gracePeriodSeconds + 30), "docker", "stop", "--time",
				Long.toString(this.gracePeriodSeconds), this.container);
	}

	static String tail(String text, int lines) {
		List<String> all = text.lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

}
