package dev.parley.e2e.suite.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports for the tests: a failed run with a few scenarios, and one where nothing was recorded. */
final class SampleReports {
    static final String HOSTILE_NAME = "<script>alert('x')</script> & co";

    private SampleReports() {
    }

    static E2eReport failedRun() {
        List<E2eReport.Sample> samples = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            // No deliveries at all in second 30: the chat pod has just been deleted.
            long delivered = t == 30 ? 0 : 1000;
            samples.add(new E2eReport.Sample(t, 100, 100, delivered, t == 30 ? 7 : 0, 50, 2.5, 12.0 + t));
        }
        Map<String, Object> steady = new LinkedHashMap<>();
        steady.put("sent", 3000L);
        steady.put("lost", 0L);
        steady.put("p99Ms", 12.3456);
        Map<String, Object> failover = new LinkedHashMap<>();
        failover.put("sent", 3000L);
        failover.put("lost", 4L);
        failover.put("recoverySec", 4.5);
        failover.put("podName", "parley-server-0");
        return new E2eReport("full", "2025-06-01T10:00:00Z", "192.168.49.2:30062", false,
                new E2eReport.Totals(60.0004, 50, 6000, 5990, 59000, 4, 1, 0, 2, 3,
                        Map.of("UNAVAILABLE", 5L, "RATE_LIMITED", 2L), 12, 11,
                        983.3333333, 2.5, 45.6789, 120.0, 2450.0, 4),
                List.of(new E2eReport.Scenario("steady load", "Load with nothing going wrong", 0, 25, true,
                                List.of(), steady),
                        new E2eReport.Scenario("chat pod failover", "Delete one chat pod under load", 25, 50, false,
                                List.of("chat pod failover: 4 acknowledged messages lost"), failover),
                        new E2eReport.Scenario(HOSTILE_NAME, "a name that must not become markup", 50, 60, true,
                                List.of(), Map.of())),
                samples,
                List.of(new E2eReport.Marker(30, "chat pod deleted"), new E2eReport.Marker(31, "Redis pod deleted")),
                List.of(new E2eReport.ReplicaSample(0, 2, 2), new E2eReport.ReplicaSample(20, 4, 2),
                        new E2eReport.ReplicaSample(28, 4, 4), new E2eReport.ReplicaSample(45, 2, 2)),
                List.of("chat pod failover: 4 acknowledged messages lost"));
    }

    static E2eReport emptyRun() {
        return new E2eReport("smoke", "2025-06-01T10:00:00Z", "127.0.0.1:30062", true,
                new E2eReport.Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, Double.NaN, Double.NaN,
                        Double.NaN, Double.NaN, 0),
                List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
