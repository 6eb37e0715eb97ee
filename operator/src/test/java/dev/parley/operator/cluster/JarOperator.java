package dev.parley.operator.cluster;

import dev.parley.operator.OperatorProcess;
import java.nio.file.Path;
import java.util.Map;

/** The operator as the jar on this machine (-Dparley.operator=jar), against the cluster in KUBECONFIG. */
final class JarOperator extends OperatorProcess implements ClusterOperator {
    JarOperator(Path jar, String namespace, int httpPort, Map<String, String> env, Path log) {
        super(jar, namespace, httpPort, env, log);
    }
}
