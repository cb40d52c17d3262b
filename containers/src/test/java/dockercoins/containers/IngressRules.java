package dockercoins.containers;

import java.util.List;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import dockercoins.containers.Manifests.Workload;

/**
 * Whether the NetworkPolicies of a namespace let a pod connect to another, as a network
 * plugin that enforces them decides (ingress only, peers within the namespace).
 */
final class IngressRules {

	private final List<NetworkPolicy> policies;

	IngressRules(List<NetworkPolicy> policies) {
		this.policies = policies;
	}

	/**
	 * Whether a pod of {@code from} (or, when it is null, a client outside the namespace)
	 * may connect to a pod of {@code to} on a port.
	 */
	boolean allow(Workload from, Workload to, int port) {
		List<NetworkPolicy> isolating = this.policies.stream()
			.filter((policy) -> isolatesIngress(policy)
					&& LabelSelectors.matches(policy.getSpec().getPodSelector(), to.labels()))
			.toList();
		return isolating.isEmpty() || isolating.stream()
			.flatMap((policy) -> policy.getSpec().getIngress().stream())
			.anyMatch((rule) -> (rule.getFrom().isEmpty()
					|| rule.getFrom().stream().anyMatch((peer) -> matches(peer, from)))
					&& (rule.getPorts().isEmpty()
							|| rule.getPorts().stream().anyMatch((allowed) -> matches(allowed, to, port))));
	}

	/**
	 * Ingress is isolated when the policy says so, or says nothing (Kubernetes' default).
	 */
	private static boolean isolatesIngress(NetworkPolicy policy) {
		List<String> types = policy.getSpec().getPolicyTypes();
		return types.isEmpty() || types.contains("Ingress");
	}

	private static boolean matches(NetworkPolicyPeer peer, Workload from) {
		return from != null && peer.getPodSelector() != null && peer.getNamespaceSelector() == null
				&& peer.getIpBlock() == null && LabelSelectors.matches(peer.getPodSelector(), from.labels());
	}

	private static boolean matches(NetworkPolicyPort allowed, Workload to, int port) {
		IntOrString number = allowed.getPort();
		return number == null || to.port(number).map((declared) -> declared.getContainerPort() == port).orElse(false);
	}

}
