package dev.parley.e2e.suite.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one end-to-end run found, as written to {@code summary.json} (field names as they
 * appear there) and drawn in {@code index.html}. Times are seconds since the start of the load.
 *
 * @param mode        {@code smoke} or {@code full}
 * @param startedAt   ISO-8601 instant the load started
 * @param target      where the load went, e.g. {@code 192.168.49.2:30062}
 * @param totals      the whole run's figures
 * @param scenarios   one entry per scenario, in the order they ran
 * @param samples     the load, one entry per second
 * @param markers     fault and scaling moments, for the charts
 * @param replicas    the chat server's replica count over time
 * @param failures    why the run failed (empty when it passed), each naming its scenario
 */
public record E2eReport(String mode, String startedAt, String target, boolean passed, Totals totals,
                        List<Scenario> scenarios, List<Sample> samples, List<Marker> markers,
                        List<ReplicaSample> replicas, List<String> failures) {

    /**
     * The run's figures. {@code lost}: acknowledged, and missing at a session entitled to it;
     * {@code duplicated}: received twice by one session; {@code outOfOrder}: received with an id
     * not above the previous one; {@code falseDelivered}: refused with an error, yet delivered;
     * {@code inDoubt}: sent, and neither acknowledged nor refused before the connection dropped.
     */
    public record Totals(double durationSec, int connections, long sent, long acked, long delivered, long lost,
                         long duplicated, long outOfOrder, long falseDelivered, long inDoubt,
                         Map<String, Long> errors, long disconnects, long reconnects,
                         double throughputPerSec, double p50Ms, double p99Ms, double p999Ms, double maxMs,
                         int maxReplicasSeen) {
    }

    /**
     * One scenario: what it did, its own window, whether it passed and why not. {@code figures}
     * holds the load figures over its window (sent, acked, delivered, lost, p99Ms ...) and what the
     * scenario measured itself (e.g. seconds until Redis answered again), in a stable order.
     */
    public record Scenario(String name, String description, double startSec, double endSec, boolean passed,
                           List<String> failures, Map<String, Object> figures) {
    }

    /** One second of load: counts in that second, latency of the deliveries in it. */
    public record Sample(double tSec, long sent, long acked, long delivered, long errors, int connected,
                         double p50Ms, double p99Ms) {
    }

    /** A moment worth marking on the charts ("chat pod deleted", "Redis pod deleted"). */
    public record Marker(double tSec, String label) {
    }

    /** The chat server at one moment: replicas wanted (by spec or the autoscaler) and ready. */
    public record ReplicaSample(double tSec, int desired, int ready) {
    }
}
