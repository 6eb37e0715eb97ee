package dev.parley.e2e.suite;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What one user of the soak sent and received over the whole run, across reconnects. Only the
 * user's event loop writes it; the verdict reads it once the loop has stopped. Each send is
 * remembered by its sequence number (intended send time, broadcast or not, answer, stored id), so
 * the verdict can say for any window of time which acknowledged message is missing where.
 */
final class SoakLedger {
    /** No answer yet on a connection that is still up. */
    static final byte PENDING = 0;
    /** Acknowledged: stored, with an id. */
    static final byte ACKED = 1;
    /** Refused with an error that says it was not stored: must never be delivered. */
    static final byte REFUSED = 2;
    /** No answer before the connection dropped, or an answer saying it may be stored: all or nothing. */
    static final byte IN_DOUBT = 3;

    /** Receipt problems remembered in detail, for failure messages; the counts go on past it. */
    static final int MAX_EVENTS = 1000;

    final int index;

    private int sent;
    private long[] sendNanos = new long[256];
    private long[] storedIds = new long[256];
    private byte[] states = new byte[256];
    private final BitSet broadcasts = new BitSet();
    private final BitSet pending = new BitSet();
    /** Own messages seen again in a catch-up after a reconnect: stored, whatever the answer was. */
    private final BitSet echoed = new BitSet();

    private final Map<Integer, BitSet> received = new HashMap<>();
    private long lastId;
    private long duplicated;
    private long outOfOrder;
    private long foreign;
    /** (sender, seq) of duplicate receipts, up to MAX_EVENTS. */
    private final long[][] duplicates = new long[MAX_EVENTS][];
    /** (message id, receive nanos since origin) of out-of-order receipts, up to MAX_EVENTS. */
    private final long[][] reorders = new long[MAX_EVENTS][];

    SoakLedger(int index) {
        this.index = index;
    }

    /** Records a new send; returns its sequence number. */
    int onSend(long intendedNanos, boolean broadcast) {
        if (sent == states.length) {
            int size = sent * 2;
            sendNanos = Arrays.copyOf(sendNanos, size);
            storedIds = Arrays.copyOf(storedIds, size);
            states = Arrays.copyOf(states, size);
        }
        int seq = sent++;
        sendNanos[seq] = intendedNanos;
        if (broadcast) {
            broadcasts.set(seq);
        }
        pending.set(seq);
        return seq;
    }

    /** An ack for {@code seq}; false when it answers nothing outstanding. */
    boolean onAck(long seq, long id) {
        if (seq < 0 || seq >= sent || !pending.get((int) seq)) {
            return false;
        }
        pending.clear((int) seq);
        states[(int) seq] = ACKED;
        storedIds[(int) seq] = id;
        return true;
    }

    /** An error naming {@code seq}; false when it answers nothing outstanding. */
    boolean onRefused(long seq) {
        return settle(seq, REFUSED);
    }

    /**
     * An error that says the send may have been stored (the store went away mid-write): like a
     * lost answer, all or nothing; false when it answers nothing outstanding.
     */
    boolean onMaybeStored(long seq) {
        return settle(seq, IN_DOUBT);
    }

    /** An answer that is not an ack: {@code seq} leaves the pending ones in {@code state}. */
    private boolean settle(long seq, byte state) {
        if (seq < 0 || seq >= sent || !pending.get((int) seq)) {
            return false;
        }
        pending.clear((int) seq);
        states[(int) seq] = state;
        return true;
    }

    /** The connection dropped: whatever was unanswered may or may not have been stored. */
    void onDisconnect() {
        for (int seq = pending.nextSetBit(0); seq >= 0; seq = pending.nextSetBit(seq + 1)) {
            states[seq] = IN_DOUBT;
        }
        pending.clear();
    }

    /** One of this user's own messages, seen again in a catch-up: it was stored with {@code id}. */
    void onEcho(long seq, long id) {
        if (seq >= 0 && seq < sent) {
            echoed.set((int) seq);
            if (storedIds[(int) seq] == 0) {
                storedIds[(int) seq] = id;
            }
        }
    }

    /**
     * A message frame with {@code id}, received at {@code nanos}: checks the id order a session
     * promises (strictly increasing, across reconnects too, since each resumes after the last).
     */
    void onMessageId(long id, long nanos) {
        if (id <= lastId) {
            if (outOfOrder < MAX_EVENTS) {
                reorders[(int) outOfOrder] = new long[] {id, nanos};
            }
            outOfOrder++;
        } else {
            lastId = id;
        }
    }

    /** A probe from {@code sender}; true when it is the first receipt of that message here. */
    boolean onReceived(int sender, long seq) {
        if (seq > Integer.MAX_VALUE) {
            foreign++;
            return false;
        }
        BitSet seen = received.computeIfAbsent(sender, s -> new BitSet());
        if (seen.get((int) seq)) {
            if (duplicated < MAX_EVENTS) {
                duplicates[(int) duplicated] = new long[] {sender, seq};
            }
            duplicated++;
            return false;
        }
        seen.set((int) seq);
        return true;
    }

    /** A message that is not one of this run's probes (a person's, another run's). */
    void onForeign() {
        foreign++;
    }

    long pendingCount() {
        return pending.cardinality();
    }

    long lastId() {
        return lastId;
    }

    int sent() {
        return sent;
    }

    long sendNanos(int seq) {
        return sendNanos[seq];
    }

    byte state(int seq) {
        return states[seq];
    }

    long storedId(int seq) {
        return storedIds[seq];
    }

    boolean isBroadcast(int seq) {
        return broadcasts.get(seq);
    }

    boolean echoed(int seq) {
        return echoed.get(seq);
    }

    /** Whether this user received message {@code seq} of {@code sender}. */
    boolean hasReceived(int sender, int seq) {
        BitSet seen = received.get(sender);
        return seen != null && seen.get(seq);
    }

    long duplicated() {
        return duplicated;
    }

    long outOfOrder() {
        return outOfOrder;
    }

    long foreign() {
        return foreign;
    }

    /** The first duplicate receipts, as (sender, seq). */
    long[][] duplicateEvents() {
        return Arrays.copyOf(duplicates, (int) Math.min(duplicated, MAX_EVENTS));
    }

    /** The first out-of-order receipts, as (message id, receive nanos). */
    long[][] reorderEvents() {
        return Arrays.copyOf(reorders, (int) Math.min(outOfOrder, MAX_EVENTS));
    }
}
