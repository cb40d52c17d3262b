package dockercoins.worker;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The replicas of one service behind its base URLs. A host name may stand for several
 * replicas (Compose {@code --scale}, Swarm {@code dnsrr}, a Kubernetes headless Service):
 * each host is resolved to all its addresses, again at most a second later, and requests
 * go round-robin over every address of every URL, as the original worker's new connection
 * per request does. Through a Swarm virtual IP there is one address, which balances by
 * itself.
 * <p>
 * The addresses are taken in a fixed order. Docker's DNS shuffles its answers, and a
 * round robin over a shuffled list is a random choice: the workers' requests then queue
 * at a busy replica while another is idle. In a fixed order, workers that meet at a
 * replica fall out of step and stay so. Each worker starts at a replica of its own
 * choosing, so that workers started together do not all begin at the first.
 */
final class Replicas {

	static final Duration REFRESH = Duration.ofSeconds(1);

	private final String service;

	private final List<URI> urls;

	private final String path;

	private final Resolver resolver;

	private final LongSupplier nanoTime;

	private static final Comparator<InetAddress> ORDER = (a, b) -> Arrays.compareUnsigned(a.getAddress(),
			b.getAddress());

	private final AtomicInteger next;

	private volatile Targets targets;

	Replicas(String service, List<URI> urls, String path, Resolver resolver, LongSupplier nanoTime, int start) {
		this.service = service;
		this.next = new AtomicInteger(start);
		this.urls = urls;
		this.path = path;
		this.resolver = resolver;
		this.nanoTime = nanoTime;
	}

	Replicas(String service, List<URI> urls, String path) {
		this(service, urls, path, InetAddress::getAllByName, System::nanoTime,
				ThreadLocalRandom.current().nextInt(1 << 16));
	}

	String service() {
		return this.service;
	}

	/** The replica for the next request. */
	Target next() {
		Targets current = this.targets;
		if (current == null || this.nanoTime.getAsLong() - current.expiry() >= 0) {
			current = resolve();
		}
		return current.all().get(Math.floorMod(this.next.getAndIncrement(), current.all().size()));
	}

	private Targets resolve() {
		List<Target> all = new ArrayList<>();
		for (URI url : this.urls) {
			String base = url.toString().replaceAll("/+$", "");
			if (!"http".equals(url.getScheme()) || url.getHost() == null) {
				// Certificates name the host, not its addresses, and a name that is not a
				// valid host name is left to the HTTP client: such a URL stays as it is.
				all.add(new Target(URI.create(base + this.path), base, null));
				continue;
			}
			InetAddress[] addresses = addresses(url).clone();
			Arrays.sort(addresses, ORDER);
			for (InetAddress replica : addresses) {
				String host = (replica.getAddress().length == 16) ? "[" + replica.getHostAddress() + "]"
						: replica.getHostAddress();
				int port = (url.getPort() != -1) ? url.getPort() : 80;
				URI request = URI
					.create("http://" + host + ":" + port + url.getRawPath().replaceAll("/+$", "") + this.path);
				String address = host.equals(url.getHost()) ? base : base + " (" + host + ":" + port + ")";
				all.add(new Target(request, address, url.getRawAuthority()));
			}
		}
		Targets resolved = new Targets(List.copyOf(all), this.nanoTime.getAsLong() + REFRESH.toNanos());
		this.targets = resolved;
		return resolved;
	}

	private InetAddress[] addresses(URI url) {
		try {
			return this.resolver.resolve(url.getHost());
		}
		catch (UnknownHostException ex) {
			throw new StepFailedException(this.service, url.toString(), ex);
		}
	}

	/**
	 * Where one request goes: its URI, how errors name it, and the {@code Host} header
	 * that the URL's own host gives (null where the URI keeps it).
	 */
	record Target(URI request, String address, String host) {
	}

	private record Targets(List<Target> all, long expiry) {
	}

	/** Looks up the addresses of a host name. */
	@FunctionalInterface
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

}
