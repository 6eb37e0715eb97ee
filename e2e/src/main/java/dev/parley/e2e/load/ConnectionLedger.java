package dev.parley.e2e.load;

import dev.parley.protocol.ErrorCode;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * What one connection sent, had answered and received. Only the connection's event loop writes
 * it; it is read once that loop has terminated, so it needs no synchronisation. Sequence numbers
 * index bit sets, so a run tracks every message in a few bits.
 */
final class ConnectionLedger {
    final int index;

    // As a sender.
    private long sent;
    private long acked;
    private long erroredSends;
    private long unmatchedAnswers;
    private long backpressured;
    private long skippedClosed;
    private final BitSet ackedSeqs = new BitSet();
    private final EnumMap<ErrorCode, Long> errors = new EnumMap<>(ErrorCode.class);

    // As a receiver.
    private long delivered;
    private long duplicated;
    private long outOfOrder;
    private long unexpected;
    private long lastMsgId;
    /** Seqs received, by sender index; one entry in the usual ring, more if a server misroutes. */
    private final Map<Integer, BitSet> receivedBySender = new HashMap<>(2);

    ConnectionLedger(int index) {
        this.index = index;
    }

    /** The next message's sequence number; counts it as sent. */
    long nextSeq() {
        return sent++;
    }

    /** Sends neither acked nor refused yet. */
    long pending() {
        return sent - acked - erroredSends;
    }

    void onBackpressured() {
        backpressured++;
    }

    void onSkippedClosed() {
        skippedClosed++;
    }

    /** An ack for {@code seq} (-1 when its ref was not one of ours). */
    void onAck(long seq) {
        if (seq < 0 || seq >= sent || seq > Integer.MAX_VALUE || ackedSeqs.get((int) seq)) {
            unmatchedAnswers++;
            return;
        }
        ackedSeqs.set((int) seq);
        acked++;
    }

    /** An error frame; {@code seq} is the send it refuses, or -1 when it names none of ours. */
    void onError(ErrorCode code, long seq) {
        errors.merge(code, 1L, Long::sum);
        if (seq >= 0 && seq < sent && !ackedSeqs.get((int) seq)) {
            erroredSends++;
        }
    }

    /**
     * A probe delivered to this connection. Returns whether it was the first delivery of that
     * message (only those count towards latency and throughput).
     */
    boolean onDelivery(long msgId, int sender, long seq) {
        if (msgId <= lastMsgId) {
            outOfOrder++;
        }
        lastMsgId = msgId;
        if (seq > Integer.MAX_VALUE) {
            unexpected++;
            return false;
        }
        BitSet seen = receivedBySender.computeIfAbsent(sender, s -> new BitSet());
        if (seen.get((int) seq)) {
            duplicated++;
            return false;
        }
        seen.set((int) seq);
        delivered++;
        return true;
    }

    /** A msg frame that is not a probe of this run. */
    void onUnexpected() {
        unexpected++;
    }

    long sent() {
        return sent;
    }

    long acked() {
        return acked;
    }

    long erroredSends() {
        return erroredSends;
    }

    long unmatchedAnswers() {
        return unmatchedAnswers;
    }

    long backpressured() {
        return backpressured;
    }

    long skippedClosed() {
        return skippedClosed;
    }

    BitSet ackedSeqs() {
        return ackedSeqs;
    }

    Map<ErrorCode, Long> errors() {
        return errors;
    }

    long delivered() {
        return delivered;
    }

    long duplicated() {
        return duplicated;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long unexpected() {
        return unexpected;
    }

    Map<Integer, BitSet> receivedBySender() {
        return receivedBySender;
    }
}
