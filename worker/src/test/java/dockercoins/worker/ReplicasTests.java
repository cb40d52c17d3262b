package dockercoins.worker;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ReplicasTests {

	private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();

	private final AtomicInteger lookups = new AtomicInteger();

	private final AtomicLong now = new AtomicLong();

	@Test
	void spreadsRequestsOverEveryAddressOfAName() {
		answer("rng", "10.0.0.1", "10.0.0.2", "10.0.0.3");
		Replicas replicas = replicas("http://rng");
		assertThat(requests(replicas, 6)).containsExactly("http://10.0.0.1:80/32", "http://10.0.0.2:80/32",
				"http://10.0.0.3:80/32", "http://10.0.0.1:80/32", "http://10.0.0.2:80/32", "http://10.0.0.3:80/32");
		assertThat(replicas.next().host()).isEqualTo("rng");
		assertThat(replicas.next().address()).isEqualTo("http://rng (10.0.0.2:80)");
	}

	@Test
	void seesAddedAndRemovedReplicasAfterTheRefreshInterval() {
		answer("rng", "10.0.0.1");
		Replicas replicas = replicas("http://rng:8001");
		assertThat(requests(replicas, 2)).containsOnly("http://10.0.0.1:8001/32");
		answer("rng", "10.0.0.2", "10.0.0.3");
		this.now.addAndGet(Replicas.REFRESH.toNanos() - 1);
		assertThat(requests(replicas, 2)).containsOnly("http://10.0.0.1:8001/32");
		this.now.incrementAndGet();
		assertThat(requests(replicas, 4)).containsOnly("http://10.0.0.2:8001/32", "http://10.0.0.3:8001/32");
	}

	@Test
	void keepsOneOrderWhateverOrderTheNameServerAnswersIn() {
		answer("rng", "10.0.0.3", "10.0.0.1", "10.0.0.2");
		Replicas replicas = replicas("http://rng");
		assertThat(requests(replicas, 3)).containsExactly("http://10.0.0.1:80/32", "http://10.0.0.2:80/32",
				"http://10.0.0.3:80/32");
		answer("rng", "10.0.0.2", "10.0.0.3", "10.0.0.1");
		this.now.addAndGet(Replicas.REFRESH.toNanos());
		assertThat(requests(replicas, 3)).containsExactly("http://10.0.0.1:80/32", "http://10.0.0.2:80/32",
				"http://10.0.0.3:80/32");
	}

	@Test
	void startsAtTheReplicaItIsGiven() {
		answer("rng", "10.0.0.1", "10.0.0.2", "10.0.0.3");
		assertThat(requests(replicas(4, "http://rng"), 3)).containsExactly("http://10.0.0.2:80/32",
				"http://10.0.0.3:80/32", "http://10.0.0.1:80/32");
	}

	@Test
	void looksTheNamesUpOncePerInterval() {
		answer("rng", "10.0.0.1", "10.0.0.2");
		Replicas replicas = replicas("http://rng");
		requests(replicas, 100);
		assertThat(this.lookups).hasValue(1);
		this.now.addAndGet(Replicas.REFRESH.toNanos());
		requests(replicas, 100);
		assertThat(this.lookups).hasValue(2);
	}

	@Test
	void goesRoundRobinOverSeveralUrlsAndTheirAddresses() {
		answer("rng1", "10.0.0.1", "10.0.0.2");
		answer("rng2", "10.0.1.1");
		Replicas replicas = replicas("http://rng1:8001/", "http://rng2:8002");
		assertThat(requests(replicas, 3)).containsExactly("http://10.0.0.1:8001/32", "http://10.0.0.2:8001/32",
				"http://10.0.1.1:8002/32");
	}

	@Test
	void keepsAnAddressAsItIsAndNamesItOnce() {
		Replicas replicas = new Replicas("rng", List.of(URI.create("http://127.0.0.1:8001")), "/32");
		Replicas.Target target = replicas.next();
		assertThat(target.request()).hasToString("http://127.0.0.1:8001/32");
		assertThat(target.address()).isEqualTo("http://127.0.0.1:8001");
	}

	@Test
	void writesIpv6AddressesInBrackets() {
		answer("rng", "fd00::5");
		assertThat(replicas("http://rng").next().request()).hasToString("http://[fd00:0:0:0:0:0:0:5]:80/32");
	}

	@Test
	void leavesHttpsUrlsToTheHttpClient() {
		Replicas replicas = replicas("https://rng.example.com");
		assertThat(replicas.next().request()).hasToString("https://rng.example.com/32");
		assertThat(replicas.next().host()).isNull();
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void namesTheUrlWhoseHostIsUnknown() {
		Replicas replicas = replicas("http://rng");
		assertThatExceptionOfType(StepFailedException.class).isThrownBy(replicas::next)
			.withMessageStartingWith("rng at http://rng failed: ")
			.withMessageContaining("no such host: rng")
			.satisfies((ex) -> assertThat(ex.step()).isEqualTo("rng"));
	}

	private Replicas replicas(String... urls) {
		return replicas(0, urls);
	}

	private Replicas replicas(int start, String... urls) {
		return new Replicas("rng", Arrays.stream(urls).map(URI::create).toList(), "/32", this::resolve, this.now::get,
				start);
	}

	private static List<String> requests(Replicas replicas, int count) {
		List<String> requests = new ArrayList<>();
		IntStream.range(0, count).forEach((i) -> requests.add(replicas.next().request().toString()));
		return requests;
	}

	private void answer(String host, String... addresses) {
		this.dns.put(host, Arrays.stream(addresses).map(ReplicasTests::literal).toArray(InetAddress[]::new));
	}

	private InetAddress[] resolve(String host) throws UnknownHostException {
		this.lookups.incrementAndGet();
		InetAddress[] addresses = this.dns.get(host);
		if (addresses == null) {
			throw new UnknownHostException("no such host: " + host);
		}
		return addresses;
	}

	private static InetAddress literal(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
