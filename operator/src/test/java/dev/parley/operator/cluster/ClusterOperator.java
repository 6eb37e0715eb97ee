package dev.parley.operator.cluster;

/**
 * The operator under test on a real cluster: in the cluster, installed by the Helm chart with its
 * own ServiceAccount and least-privilege RBAC, or as the jar on this machine.
 */
interface ClusterOperator extends AutoCloseable {
    /** Starts it (again) and returns once it is ready. */
    void start() throws Exception;

    /** Stops it, the way SIGTERM or a scale-down does; what it made keeps running. */
    void stop() throws Exception;

    /** What it logged, for failure messages. */
    String logs();

    @Override
    void close();
}
