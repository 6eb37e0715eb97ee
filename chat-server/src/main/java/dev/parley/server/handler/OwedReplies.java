package dev.parley.server.handler;

import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.pipeline.InboundGate.Wait;

/**
 * What one connection is still owed by the store (acks of its sends, a token's revocation), and
 * the push-back that follows from it: at {@value #MAX_OWED} the connection is no longer read, so
 * TCP slows the client down, and reading resumes at {@value #RESUME_OWED}. A connection that is
 * closing is closed when the last thing owed is settled. Event-loop confined.
 */
final class OwedReplies {
    /** Owed replies at which the connection stops being read, and where reading resumes. */
    static final int MAX_OWED = 64;
    static final int RESUME_OWED = 32;

    private final InboundGate gate;
    private final Runnable close;
    private int owed;
    private boolean closing;

    /** @param close closes the connection, once it is closing and nothing is owed */
    OwedReplies(InboundGate gate, Runnable close) {
        this.gate = gate;
        this.close = close;
    }

    /** One more reply is owed. */
    void owe() {
        owed++;
        if (owed >= MAX_OWED) {
            gate.shut(Wait.SENDS);
        }
    }

    /** An owed reply was written (or given up). */
    void settle() {
        owed--;
        if (closing && owed == 0) {
            close.run();
        } else if (owed <= RESUME_OWED) {
            gate.open(Wait.SENDS);
        }
    }

    /** Reads nothing more from the connection; what is owed is still written. */
    void stopReading() {
        closing = true;
        gate.shut(Wait.CLOSING);
    }

    /** Stops reading, and closes the connection as soon as nothing is owed (now, if nothing is). */
    void closeWhenSettled() {
        stopReading();
        if (owed == 0) {
            close.run();
        }
    }

    boolean closing() {
        return closing;
    }
}
