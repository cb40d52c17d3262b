package dockercoins.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Host names that the tests give several addresses, as Docker's DNS does for the replicas
 * of a service; every other name is resolved as usual.
 */
public final class TestHostNames extends InetAddressResolverProvider {

	private static final Map<String, List<InetAddress>> NAMES = new ConcurrentHashMap<>();

	static void answer(String name, String... addresses) {
		NAMES.put(name, Arrays.stream(addresses).map(TestHostNames::literal).toList());
	}

	@Override
	public InetAddressResolver get(Configuration configuration) {
		InetAddressResolver system = configuration.builtinResolver();
		return new InetAddressResolver() {

			@Override
			public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
				List<InetAddress> addresses = NAMES.get(host);
				return (addresses != null) ? addresses.stream() : system.lookupByName(host, policy);
			}

			@Override
			public String lookupByAddress(byte[] address) throws UnknownHostException {
				return system.lookupByAddress(address);
			}

		};
	}

	@Override
	public String name() {
		return "DockerCoins test host names";
	}

	private static InetAddress literal(String address) {
		try {
			return InetAddress.getByName(address);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(address, ex);
		}
	}

}
