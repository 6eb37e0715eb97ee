package dev.parley.server.store;

import java.util.List;

/**
 * Hands stored messages to this replica's sessions exactly once and in id order, whichever thread
 * has them first: the message writer, whose store call returns its own new messages together with
 * those other replicas stored just before them, or the event dispatcher, which reads the fan-out
 * stream while the writer is quiet. Either offers a <em>complete run</em> of the stream (every
 * entry after a given id, up to the last one it offers); a run that starts after the last id
 * delivered would skip messages and is refused, so a gap is never papered over.
 */
public final class LiveDelivery {
    private final EventDispatcher.Listener listener;
    /** The last id handed to the listener; -1 until the dispatcher found the stream's end. */
    private long lastId = -1;
    private volatile long writerDeliveredAt = System.nanoTime() - Long.MAX_VALUE / 2;

    public LiveDelivery(EventDispatcher.Listener listener) {
        this.listener = listener;
    }

    /** The last id delivered, -1 before the dispatcher first found where the stream ends. */
    public synchronized long lastId() {
        return lastId;
    }

    /** Starts over after {@code id} (the stream's end at start-up, or 0 after Redis lost its data). */
    synchronized void restartAfter(long id) {
        lastId = id;
    }

    /**
     * Moves the cursor to {@code id} unless it is there already: past an entry that cannot be
     * read, reported as a {@link #discontinuity} first.
     */
    synchronized void skipTo(long id) {
        lastId = Math.max(lastId, id);
    }

    /** Tells the sessions that live delivery broke off (see {@link EventDispatcher.Listener#onDiscontinuity}). */
    synchronized void discontinuity(String reason) {
        listener.onDiscontinuity(reason);
    }

    /**
     * Offers {@code run}: every fan-out entry with an id above {@code after} up to its last one, in
     * id order. Delivers the part not delivered yet; false, delivering nothing, when {@code after}
     * lies beyond what was delivered (the run would leave a gap) or before the start.
     */
    synchronized boolean offer(long after, List<StoredMessage> run) {
        if (lastId < 0 || after > lastId) {
            return false;
        }
        int from = 0;
        while (from < run.size() && run.get(from).message().id() <= lastId) {
            from++;
        }
        if (from < run.size()) {
            listener.onMessages(from == 0 ? run : run.subList(from, run.size()));
            lastId = run.get(run.size() - 1).message().id();
        }
        return true;
    }

    /**
     * {@link #offer} from the writer. An accepted run also tells the dispatcher that the writer is
     * keeping this replica up to date, so it need not read the stream for a while.
     */
    boolean offerFromWriter(long after, List<StoredMessage> run) {
        boolean accepted = offer(after, run);
        if (accepted) {
            writerDeliveredAt = System.nanoTime();
        }
        return accepted;
    }

    /** Nanoseconds since the writer last delivered a run. */
    long nanosSinceWriterDelivered() {
        return System.nanoTime() - writerDeliveredAt;
    }
}
