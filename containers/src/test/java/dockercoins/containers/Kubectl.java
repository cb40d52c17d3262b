package dockercoins.containers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The course's imperative kubectl commands, run offline: what they would send a cluster,
 * as YAML ({@code --dry-run=client -o yaml}, {@code patch --local}).
 */
final class Kubectl {

	private static final Duration TIMEOUT = Duration.ofMinutes(1);

	private static final String APPS_V1 = "{\"groupVersion\": \"apps/v1\", \"version\": \"v1\"}";

	private Kubectl() {
	}

	/** Runs kubectl, failing the test if it fails, and answers what it printed. */
	static String run(String... arguments) {
		Command.requireKubectl();
		List<String> line = new ArrayList<>(List.of("kubectl"));
		line.addAll(List.of(arguments));
		return Command.output(TIMEOUT, line.toArray(String[]::new));
	}

	/** What {@code kubectl patch} would make of an object, with {@code --local}. */
	static String patch(String yaml, String type, String patch) throws IOException {
		Path file = Files.createTempFile("kubectl-", ".yaml");
		try {
			Files.writeString(file, yaml);
			return run("patch", "--local", "-f", file.toString(), "--type=" + type, "-p", patch, "-o", "yaml");
		}
		finally {
			Files.delete(file);
		}
	}

	/**
	 * What {@code kubectl expose deployment <name> <arguments> --dry-run=client} makes of
	 * a Deployment. It reads the Deployment from the API server: a stand-in on loopback
	 * answers its discovery requests and that Deployment, and nothing else.
	 */
	static String expose(String deploymentYaml, String... arguments) throws IOException {
		KubernetesSerialization json = new KubernetesSerialization();
		HasMetadata deployment = (HasMetadata) json.unmarshal(deploymentYaml);
		String name = deployment.getMetadata().getName();
		Map<String, String> answers = Map.of("/api", "{\"kind\": \"APIVersions\", \"versions\": [\"v1\"]}", "/apis",
				"{\"kind\": \"APIGroupList\", \"groups\": [{\"name\": \"apps\", \"versions\": [" + APPS_V1
						+ "], \"preferredVersion\": " + APPS_V1 + "}]}",
				"/api/v1", resources("v1", "services", "Service"), "/apis/apps/v1",
				resources("apps/v1", "deployments", "Deployment"),
				"/apis/apps/v1/namespaces/default/deployments/" + name, json.asJson(deployment));
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", (exchange) -> answer(exchange, answers.get(exchange.getRequestURI().getPath())));
		server.start();
		Path cache = Files.createTempDirectory("kubectl-cache-");
		try {
			List<String> line = new ArrayList<>(
					List.of("--kubeconfig=/dev/null", "--server=http://127.0.0.1:" + server.getAddress().getPort(),
							"--cache-dir=" + cache, "expose", "deployment", name));
			line.addAll(List.of(arguments));
			line.addAll(List.of("--dry-run=client", "-o", "yaml"));
			return run(line.toArray(String[]::new));
		}
		finally {
			server.stop(0);
			Command.run(TIMEOUT, "rm", "-rf", cache.toString());
		}
	}

	private static String resources(String groupVersion, String name, String kind) {
		return "{\"kind\": \"APIResourceList\", \"groupVersion\": \"" + groupVersion
				+ "\", \"resources\": [{\"name\": \"" + name + "\", \"namespaced\": true, \"kind\": \"" + kind
				+ "\", \"verbs\": [\"get\"]}]}";
	}

	private static void answer(HttpExchange exchange, String json) throws IOException {
		byte[] body = (json != null) ? json.getBytes(StandardCharsets.UTF_8) : new byte[0];
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders((json != null) ? 200 : 404, (body.length > 0) ? body.length : -1);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
