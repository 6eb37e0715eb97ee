package dev.parley.e2e.load;

import dev.parley.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The delivery guarantees of a run, computed from every connection's ledger: a message is lost
 * when the server acked it and no connection received it, duplicated when it was received more
 * than once (by one connection or by several).
 *
 * @param unanswered sends that got neither an ack nor an error by the end of the drain
 * @param unmatchedAnswers acks whose ref was not an outstanding send of that connection
 */
public record LedgerSummary(long sent, long backpressured, long skippedClosed, long acked,
                            Map<String, Long> errors, long unanswered, long unmatchedAnswers,
                            long delivered, long lost, long duplicated, long outOfOrder, long unexpected) {

    public LedgerSummary {
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    }

    /** Whether nothing was lost, duplicated or reordered. */
    public boolean clean() {
        return lost == 0 && duplicated == 0 && outOfOrder == 0;
    }

    static LedgerSummary of(List<ConnectionLedger> ledgers) {
        return of(ledgers, 0);
    }

    /** @param overflowed sends skipped before they reached a connection (its loop was too far behind) */
    static LedgerSummary of(List<ConnectionLedger> ledgers, long overflowed) {
        long sent = 0;
        long backpressured = overflowed;
        long skippedClosed = 0;
        long acked = 0;
        long errored = 0;
        long unmatched = 0;
        long delivered = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        Map<ErrorCode, Long> errors = new TreeMap<>();
        Map<Integer, List<BitSet>> receivedBySender = new HashMap<>();
        for (ConnectionLedger l : ledgers) {
            sent += l.sent();
            backpressured += l.backpressured();
            skippedClosed += l.skippedClosed();
            acked += l.acked();
            errored += l.erroredSends();
            unmatched += l.unmatchedAnswers();
            delivered += l.delivered();
            duplicated += l.duplicated();
            outOfOrder += l.outOfOrder();
            unexpected += l.unexpected();
            l.errors().forEach((code, n) -> errors.merge(code, n, Long::sum));
            l.receivedBySender().forEach((sender, seqs) ->
                    receivedBySender.computeIfAbsent(sender, s -> new ArrayList<>(1)).add(seqs));
        }
        long lost = 0;
        for (ConnectionLedger sender : ledgers) {
            BitSet union = new BitSet();
            long total = 0;
            for (BitSet seqs : receivedBySender.getOrDefault(sender.index, List.of())) {
                union.or(seqs);
                total += seqs.cardinality();
            }
            // The same message received by two different connections is a duplicate too.
            long crossCopies = total - union.cardinality();
            duplicated += crossCopies;
            delivered -= crossCopies;
            BitSet missing = (BitSet) sender.ackedSeqs().clone();
            missing.andNot(union);
            lost += missing.cardinality();
        }
        Map<String, Long> errorsByName = new TreeMap<>();
        errors.forEach((code, n) -> errorsByName.put(code.name(), n));
        return new LedgerSummary(sent, backpressured, skippedClosed, acked, errorsByName,
                sent - acked - errored, unmatched, delivered, lost, duplicated, outOfOrder, unexpected);
    }
}
