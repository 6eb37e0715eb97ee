package dev.parley.operator;

import dev.parley.operator.support.OperatorSettings;
import java.util.Set;

/**
 * The operator's validated options.
 *
 * @param namespaces watched namespaces; empty means all
 * @param leaseNamespace where the leader election Lease lives; null means the client's namespace
 * @param identity this replica's name in the Lease and in Events (the pod name in a cluster)
 */
public record OperatorConfig(String serverImage, String redisImage, Set<String> namespaces, int httpPort,
        boolean leaderElection, String leaseNamespace, String identity) {

    public OperatorSettings settings() {
        return new OperatorSettings(serverImage, redisImage);
    }
}
