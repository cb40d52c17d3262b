package dockercoins.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directories on this machine that stand for the volumes of pods, laid out, owned and
 * permitted as the kubelet makes them: emptyDir and Secret volumes.
 */
final class PodVolumes implements AutoCloseable {

	private static final Duration COMMAND = Duration.ofSeconds(30);

	private final Path root;

	private final Map<String, Map<String, String>> secrets = new HashMap<>();

	PodVolumes(String prefix) {
		try {
			this.root = Files.createTempDirectory(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A Secret of the namespace, as {@code kubectl create secret generic} makes one. */
	void secret(String name, Map<String, String> data) {
		this.secrets.put(name, data);
	}

	/** The directory on this machine that stands for a volume of a pod. */
	Path directory(String podName, PodSpec pod, String volumeName) {
		Volume volume = pod.getVolumes()
			.stream()
			.filter((declared) -> declared.getName().equals(volumeName))
			.findFirst()
			.orElseThrow(() -> new AssertionError(podName + " mounts an undeclared volume " + volumeName));
		Long fsGroup = Optional.ofNullable(pod.getSecurityContext()).map(PodSecurityContext::getFsGroup).orElse(null);
		Path directory = this.root.resolve(podName).resolve(volumeName);
		try {
			if (Files.isDirectory(directory)) {
				return directory;
			}
			Files.createDirectories(directory);
			if (volume.getEmptyDir() != null) {
				assertThat(volume.getEmptyDir().getMedium()).as("%s: emptyDir on disk", podName).isIn(null, "");
				// The kubelet makes an emptyDir writable by all, and gives it to the
				// fsGroup.
				setOwnerAndMode(directory, fsGroup, (fsGroup != null) ? 02777 : 0777);
			}
			else if (volume.getSecret() != null) {
				writeSecret(podName, directory, volume.getSecret(), fsGroup);
			}
			else {
				throw new AssertionError(podName + ": volume " + volumeName + " is of a type this test does not know");
			}
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Lays out a Secret volume as the kubelet does: the files in a timestamped directory,
	 * {@code ..data} pointing to it, and a link per file, so that Spring's configtree
	 * sees what it sees in a pod.
	 */
	private void writeSecret(String podName, Path directory, SecretVolumeSource source, Long fsGroup)
			throws IOException {
		Map<String, String> data = this.secrets.get(source.getSecretName());
		if (data == null) {
			assertThat(source.getOptional())
				.as("%s: Secret %s does not exist and is not optional; the kubelet " + "would not start the pod",
						podName, source.getSecretName())
				.isTrue();
			return;
		}
		Path timestamped = Files.createDirectory(directory.resolve("..2026_01_01_00_00_00.000000000"));
		Files.createSymbolicLink(directory.resolve("..data"), timestamped.getFileName());
		List<KeyToPath> items = source.getItems().isEmpty() ? data.keySet()
			.stream()
			.map((key) -> new KeyToPathBuilder().withKey(key).withPath(key).build())
			.toList() : source.getItems();
		int mode = Optional.ofNullable(source.getDefaultMode()).orElse(0644) | ((fsGroup != null) ? 0440 : 0);
		for (KeyToPath item : items) {
			assertThat(data).as("%s: Secret %s", podName, source.getSecretName()).containsKey(item.getKey());
			Path file = timestamped.resolve(item.getPath());
			Files.writeString(file, data.get(item.getKey()), StandardCharsets.UTF_8);
			setOwnerAndMode(file, fsGroup, Optional.ofNullable(item.getMode()).orElse(mode));
			Files.createSymbolicLink(directory.resolve(item.getPath()), Path.of("..data", item.getPath()));
		}
		setOwnerAndMode(timestamped, fsGroup, 0755);
		setOwnerAndMode(directory, fsGroup, 0755);
	}

	private static void setOwnerAndMode(Path path, Long group, int mode) {
		if (group != null) {
			Command.output(COMMAND, "chown", "0:" + group, path.toString());
		}
		// chmod, which sets the setgid bit of an emptyDir too.
		Command.output(COMMAND, "chmod", Integer.toOctalString(mode), path.toString());
	}

	@Override
	public void close() {
		// rm, as root: the containers' users own some of the files.
		Command.run(COMMAND, "rm", "-rf", this.root.toString());
	}

}
