package dev.parley.operator;

import dev.parley.operator.support.OperatorSettings;
import java.util.Set;

/**
 * The operator's validated options.
 *
 * @param namespaces watched namespaces; empty means all
 * @param leaseNamespace where the leader election Lease lives; null means the client's namespace
 */
public record OperatorConfig(String serverImage, String redisImage, Set<String> namespaces, int httpPort,
        boolean leaderElection, String leaseNamespace) {

    public OperatorSettings settings() {
        return new OperatorSettings(serverImage, redisImage);
    }
}
