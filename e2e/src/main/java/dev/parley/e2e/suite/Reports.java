package dev.parley.e2e.suite;

import dev.parley.e2e.suite.report.E2eReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns the ledgers, the timeline and the scenarios' own findings into the run's report. */
final class Reports {
    private Reports() {
    }

    static E2eReport build(String mode, Instant startedAt, String target, Soak soak, List<SoakLedger> ledgers,
                           List<Scenarios.Run> runs, Soak.StoredHistory stored, List<String> runFailures) {
        List<String> users = soak.users();
        Timeline timeline = soak.timeline();
        List<E2eReport.Scenario> scenarios = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // Each scenario owns the messages sent from its start to the next one's, so every message
        // of the run is judged exactly once; the last also owns the drain.
        for (int k = 0; k < runs.size(); k++) {
            Scenarios.Run run = runs.get(k);
            long to = k + 1 < runs.size() ? runs.get(k + 1).startNanos() : Long.MAX_VALUE;
            Verdict.Figures f = Verdict.of(ledgers, users, run.startNanos(), to);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("sent", f.sent());
            figures.put("acked", f.acked());
            figures.put("refused", f.refused());
            figures.put("inDoubt", f.inDoubt());
            figures.put("delivered", f.delivered());
            figures.put("lost", f.lost());
            figures.put("duplicated", f.duplicated());
            figures.put("outOfOrder", f.outOfOrder());
            Histogram latency = timeline.latencies(run.startNanos() / 1e9, run.endNanos() / 1e9);
            figures.put("p99Ms", Timeline.millis(latency, 99));
            figures.put("maxMs", Timeline.millis(latency, 100));
            figures.putAll(run.figures());
            List<String> problems = new ArrayList<>(run.failures());
            problems.addAll(f.problems());
            scenarios.add(new E2eReport.Scenario(run.name(), run.description(), run.startNanos() / 1e9,
                    Math.min(to, run.endNanos()) / 1e9, problems.isEmpty(), problems, figures));
            problems.forEach(p -> failures.add(run.name() + ": " + p));
        }
        double end = timeline.now();
        if (stored != null) {
            E2eReport.Scenario history = historyCheck(ledgers, users, stored, end);
            scenarios.add(history);
            history.failures().forEach(p -> failures.add("history: " + p));
        }
        runFailures.forEach(failures::add);

        Verdict.Figures all = Verdict.of(ledgers, users, Long.MIN_VALUE, Long.MAX_VALUE);
        Histogram latency = timeline.latencies(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double trafficSeconds = Math.max(1e-9, Math.min(soak.trafficStopNanos(), soak.nanos()) / 1e9);
        int maxReplicas = timeline.replicaSamples().stream().mapToInt(E2eReport.ReplicaSample::ready).max().orElse(0);
        SoakMetrics m = soak.metrics();
        E2eReport.Totals totals = new E2eReport.Totals(trafficSeconds, users.size(), all.sent(), all.acked(),
                all.delivered(), all.lost(), all.duplicated(), all.outOfOrder(), all.falseDelivered(), all.inDoubt(),
                m.errorsByCode(), m.disconnects.sum(), m.reconnects.sum(), all.acked() / trafficSeconds,
                Timeline.millis(latency, 50), Timeline.millis(latency, 99), Timeline.millis(latency, 99.9),
                Timeline.millis(latency, 100), maxReplicas);
        if (all.sent() == 0) {
            failures.add("run: nothing was sent");
        }
        return new E2eReport(mode, startedAt.toString(), target, failures.isEmpty(), totals, scenarios,
                timeline.samples(), timeline.markers(), timeline.replicaSamples(), failures);
    }

    /** Every acknowledged message must be in the store: the recipient's conversation, or the broadcasts. */
    private static E2eReport.Scenario historyCheck(List<SoakLedger> ledgers, List<String> users,
                                                   Soak.StoredHistory stored, double at) {
        int n = ledgers.size();
        long checked = 0;
        long missing = 0;
        List<String> examples = new ArrayList<>();
        for (SoakLedger sender : ledgers) {
            BitSet direct = stored.directBySender().getOrDefault(sender.index, new BitSet());
            BitSet broadcast = stored.broadcastBySender().getOrDefault(sender.index, new BitSet());
            for (int seq = 0; seq < sender.sent(); seq++) {
                if (sender.state(seq) != SoakLedger.ACKED) {
                    continue;
                }
                checked++;
                boolean isBroadcast = sender.isBroadcast(seq);
                if (!(isBroadcast ? broadcast : direct).get(seq)) {
                    missing++;
                    if (examples.size() < 5) {
                        examples.add("id " + sender.storedId(seq) + " (" + users.get(sender.index) + " #" + seq + ") is not in "
                                + (isBroadcast ? "the broadcast history" : users.get((sender.index + 1) % n)
                                + "'s history with " + users.get(sender.index)));
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>();
        if (missing > 0) {
            failures.add(missing + " acknowledged message(s) missing from history: " + String.join("; ", examples)
                    + (missing > examples.size() ? "; ..." : ""));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("checked", checked);
        figures.put("missing", missing);
        return new E2eReport.Scenario("history", "every acknowledged message is in its recipients' history",
                at, at, failures.isEmpty(), failures, figures);
    }
}
