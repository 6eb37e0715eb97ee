package dev.parley.e2e.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * The delivery invariants, checked over the messages sent in one window of time: every
 * acknowledged message reached every session entitled to it (the recipient of a direct message,
 * every other user for a broadcast), exactly once and in id order; nothing refused was delivered;
 * a message whose answer was lost with its connection reached either everyone entitled or no one.
 */
final class Verdict {
    /** Examples of each kind of problem named in a failure; the counts cover all. */
    private static final int EXAMPLES = 5;

    /**
     * @param lost           acknowledged (or proven stored) messages missing at one or more entitled sessions
     * @param falseDelivered refused messages that were delivered all the same
     * @param misrouted      direct messages received by a user they were not for
     * @param problems       failure lines naming message ids, users and what was expected
     */
    record Figures(long sent, long acked, long refused, long inDoubt, long delivered, long lost,
                   long duplicated, long outOfOrder, long falseDelivered, long misrouted, List<String> problems) {
        boolean clean() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0 && falseDelivered == 0 && misrouted == 0;
        }
    }

    private Verdict() {
    }

    /** The figures of messages sent (and receipts made) from {@code fromNanos} to {@code toNanos}. */
    static Figures of(List<SoakLedger> ledgers, List<String> users, long fromNanos, long toNanos) {
        int n = ledgers.size();
        long sent = 0;
        long acked = 0;
        long refused = 0;
        long inDoubt = 0;
        long delivered = 0;
        long lost = 0;
        long falseDelivered = 0;
        long misrouted = 0;
        List<String> lostExamples = new ArrayList<>();
        List<String> falseExamples = new ArrayList<>();
        List<String> misroutedExamples = new ArrayList<>();
        for (SoakLedger sender : ledgers) {
            int i = sender.index;
            int recipient = (i + 1) % n;
            for (int seq = 0; seq < sender.sent(); seq++) {
                long t = sender.sendNanos(seq);
                if (t < fromNanos || t >= toNanos) {
                    continue;
                }
                sent++;
                boolean broadcast = sender.isBroadcast(seq);
                int entitled = broadcast ? n - 1 : 1;
                int got = 0;
                String missingAt = null;
                for (SoakLedger receiver : ledgers) {
                    int j = receiver.index;
                    if (j == i) {
                        continue;
                    }
                    boolean has = receiver.hasReceived(i, seq);
                    boolean isEntitled = broadcast || j == recipient;
                    if (has && isEntitled) {
                        got++;
                    } else if (has) {
                        misrouted++;
                        example(misroutedExamples, describe(sender, seq, users) + " received by " + users.get(j)
                                + ", expected only at " + users.get(recipient));
                    } else if (isEntitled && missingAt == null) {
                        missingAt = users.get(j);
                    }
                }
                delivered += got;
                byte state = sender.state(seq);
                boolean stored = state == SoakLedger.ACKED || sender.echoed(seq);
                if (state == SoakLedger.ACKED) {
                    acked++;
                } else if (state == SoakLedger.REFUSED) {
                    refused++;
                } else {
                    inDoubt++;
                }
                if (state == SoakLedger.REFUSED && got > 0) {
                    falseDelivered++;
                    example(falseExamples, describe(sender, seq, users) + " was refused with an error, yet "
                            + got + " session(s) received it");
                } else if ((stored || got > 0) && got < entitled && state != SoakLedger.REFUSED) {
                    lost++;
                    example(lostExamples, describe(sender, seq, users) + (state == SoakLedger.ACKED
                            ? " was acknowledged" : stored ? " was stored (seen in its sender's catch-up)"
                            : " reached " + got + " of " + entitled + " sessions") + " but is missing at " + missingAt
                            + (entitled > 1 ? " (" + (entitled - got) + " of " + entitled + " sessions)" : ""));
                }
            }
        }
        long duplicated = 0;
        long outOfOrder = 0;
        List<String> dupExamples = new ArrayList<>();
        List<String> orderExamples = new ArrayList<>();
        for (SoakLedger receiver : ledgers) {
            for (long[] dup : receiver.duplicateEvents()) {
                SoakLedger sender = ledgers.get((int) dup[0]);
                long t = dup[1] < sender.sent() ? sender.sendNanos((int) dup[1]) : -1;
                if (t >= fromNanos && t < toNanos) {
                    duplicated++;
                    example(dupExamples, describe(sender, (int) dup[1], users) + " received twice by "
                            + users.get(receiver.index));
                }
            }
            for (long[] reorder : receiver.reorderEvents()) {
                if (reorder[1] >= fromNanos && reorder[1] < toNanos) {
                    outOfOrder++;
                    example(orderExamples, "id " + reorder[0] + " reached " + users.get(receiver.index)
                            + " after a message with a higher id (ids must increase)");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        summarise(problems, lost, "acknowledged message(s) lost", lostExamples);
        summarise(problems, duplicated, "duplicate delivery(ies)", dupExamples);
        summarise(problems, outOfOrder, "message(s) out of id order", orderExamples);
        summarise(problems, falseDelivered, "refused message(s) delivered", falseExamples);
        summarise(problems, misrouted, "direct message(s) delivered to the wrong user", misroutedExamples);
        return new Figures(sent, acked, refused, inDoubt, delivered, lost, duplicated, outOfOrder, falseDelivered,
                misrouted, problems);
    }

    private static String describe(SoakLedger sender, int seq, List<String> users) {
        long id = sender.storedId(seq);
        int n = users.size();
        String to = sender.isBroadcast(seq) ? "everyone" : users.get((sender.index + 1) % n);
        return (id > 0 ? "id " + id : "unanswered send") + " (" + users.get(sender.index) + " #" + seq + " to " + to
                + ")";
    }

    private static void example(List<String> examples, String line) {
        if (examples.size() < EXAMPLES) {
            examples.add(line);
        }
    }

    private static void summarise(List<String> problems, long count, String what, List<String> examples) {
        if (count > 0) {
            problems.add(count + " " + what + ": " + String.join("; ", examples) + (count > examples.size() ? "; ..." : ""));
        }
    }
}
