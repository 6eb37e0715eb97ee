package dev.parley.client.chat;

import dev.parley.cli.Backoff;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What one user's client knows about the conversation, shared by the thread that reads the
 * user's lines and the thread that reads the server: the current recipient, the messages sent
 * and not yet acknowledged (kept, and sent again with the same id, until acknowledged or refused
 * for good), the last message id shown (where a reconnection resumes) and the oldest id shown per
 * conversation (where {@code /history} pages back from). No I/O.
 */
public final class ChatState {
    /** What to do with an incoming {@code msg}. */
    public enum Verdict {
        /** New: show it. */
        SHOW,
        /** This client's own message, already shown when its ack came; replayed by a resume. */
        OWN,
        /** An id at or below one already shown: the server broke its ordering promise. */
        OUT_OF_ORDER
    }

    /** The most messages kept waiting for the server; a line typed beyond it is refused at once. */
    public static final int MAX_PENDING = 100;
    /** How many own messages shown from msg frames are remembered for acks that come after them. */
    private static final int OWN_SHOWN_MEMORY = 1000;

    /** What the server's answer to an own message means for the screen. */
    public record Acked(ChatMessage message, boolean alreadyShown) {
    }

    /** A message refused for now, to send again after {@code delay}; {@code first}: the first such refusal. */
    public record Retry(Outgoing message, boolean first, Duration delay) {
    }

    /** One unacknowledged message: whether an attempt awaits its answer, and the pauses between attempts. */
    private static final class Pending {
        final Outgoing message;
        final Backoff pauses = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
        final long createdNanos = System.nanoTime();
        boolean inFlight;
        boolean refusedBefore;

        Pending(Outgoing message) {
            this.message = message;
        }
    }

    private final String me;
    private String recipient;
    private final SendIds ids = new SendIds();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    /** Ids of own messages shown on their ack and above {@link #lastShown}, so a replay skips them. */
    private final NavigableSet<Long> ownIds = new TreeSet<>();
    /**
     * Ids of own messages shown from a msg frame (replayed after a reconnect), so that the ack of
     * a retry, which names the same id, does not show them again. Oldest first, bounded.
     */
    private final Set<Long> ownShown = new LinkedHashSet<>();
    private final Map<String, Long> oldestShown = new HashMap<>();
    private long lastShown;

    /** @param recipient the first default recipient, a user name, or null for everyone */
    public ChatState(String me, String recipient) {
        this.me = me;
        this.recipient = Protocol.BROADCAST.equals(recipient) ? null : recipient;
    }

    public String me() {
        return me;
    }

    /** The default recipient, or null when typed lines go to everyone. */
    public synchronized String recipient() {
        return recipient;
    }

    /** The conversation that typed lines go to: a user name or {@code *}. */
    public synchronized String conversation() {
        return recipient == null ? Protocol.BROADCAST : recipient;
    }

    public synchronized void recipient(String userOrNull) {
        this.recipient = Protocol.BROADCAST.equals(userOrNull) ? null : userOrNull;
    }

    /**
     * Records a message about to be sent, with a fresh id; null when {@link #MAX_PENDING}
     * messages already wait for the server (nothing is recorded).
     */
    public synchronized Outgoing outgoing(String to, String text) {
        if (pending.size() >= MAX_PENDING) {
            return null;
        }
        Outgoing out = new Outgoing(ids.next(), to, text);
        pending.put(out.id(), new Pending(out));
        return out;
    }

    /** Claims an attempt to send {@code id}: false when it is acknowledged, refused, or an attempt awaits its answer. */
    public synchronized boolean attempt(String id) {
        Pending p = pending.get(id);
        if (p == null || p.inFlight) {
            return false;
        }
        p.inFlight = true;
        return true;
    }

    /** The attempt claimed could not be sent (no connection): the message waits for the next one. */
    public synchronized void notSent(String id) {
        Pending p = pending.get(id);
        if (p != null) {
            p.inFlight = false;
        }
    }

    /**
     * The server stored the message tagged {@code ref} as {@code id}: returns it, as a message to
     * show unless a replay showed it already, or null for a ref this client does not know.
     */
    public synchronized Acked acked(String ref, long id, long ts) {
        Pending p = ref == null ? null : pending.remove(ref);
        notifyAll();
        if (p == null) {
            return null;
        }
        Outgoing out = p.message;
        ChatMessage shown = new ChatMessage(id, me, out.to(), out.text(), ts);
        if (ownShown.remove(id)) {
            return new Acked(shown, true);
        }
        if (id > lastShown) {
            ownIds.add(id);
        }
        noteShown(conversationOf(shown), id);
        return new Acked(shown, false);
    }

    /** The server refused the message tagged {@code ref} for good; returns what was sent, or null. */
    public synchronized Outgoing failed(String ref) {
        notifyAll();
        Pending p = ref == null ? null : pending.remove(ref);
        return p == null ? null : p.message;
    }

    /**
     * The server refused the message tagged {@code ref} for a passing reason: it stays pending, to
     * be sent again after the returned delay. Null for a ref this client does not know.
     */
    public synchronized Retry refusedForNow(String ref) {
        Pending p = ref == null ? null : pending.get(ref);
        if (p == null) {
            return null;
        }
        p.inFlight = false;
        boolean first = !p.refusedBefore;
        p.refusedBefore = true;
        return new Retry(p.message, first, p.pauses.next());
    }

    /**
     * The connection dropped: no attempt awaits an answer any more. Returns every message still
     * unacknowledged, oldest first; they are sent again once reconnected.
     */
    public synchronized List<Outgoing> disconnected() {
        List<Outgoing> out = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            p.inFlight = false;
            out.add(p.message);
        }
        return out;
    }

    /** How many messages have waited for the server's answer longer than {@code wait}. */
    public synchronized int unconfirmedLongerThan(Duration wait) {
        long now = System.nanoTime();
        int n = 0;
        for (Pending p : pending.values()) {
            if (now - p.createdNanos > wait.toNanos()) {
                n++;
            }
        }
        return n;
    }

    /** Every message not yet acknowledged, oldest first. */
    public synchronized List<Outgoing> unacknowledged() {
        List<Outgoing> out = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            out.add(p.message);
        }
        return out;
    }

    /** Waits until every message sent is acknowledged or refused; false if some still are not after {@code timeout}. */
    public synchronized boolean awaitConfirmed(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Decides about a live or resumed {@code msg} and, when it is to be shown, records it. */
    public synchronized Verdict accept(ChatMessage m) {
        if (ownIds.remove(m.id())) {
            advance(m.id());
            return Verdict.OWN;
        }
        if (m.id() <= lastShown) {
            return Verdict.OUT_OF_ORDER;
        }
        advance(m.id());
        noteShown(conversationOf(m), m.id());
        if (me.equals(m.from())) {
            ownShown.add(m.id());
            if (ownShown.size() > OWN_SHOWN_MEMORY) {
                ownShown.remove(ownShown.iterator().next());
            }
        }
        return Verdict.SHOW;
    }

    /**
     * Records the history shown right after login: it is where a later resume starts when no
     * live message has been shown yet.
     */
    public synchronized void shownOnLogin(String with, List<ChatMessage> messages) {
        for (ChatMessage m : messages) {
            advance(m.id());
            noteShown(with, m.id());
        }
    }

    /**
     * The welcome's {@code last} (v1.1; null from a v1.0 server): every message of the session
     * has a newer id, so a reconnection resumes after it even before anything is shown.
     */
    public synchronized void loggedIn(Long last) {
        if (last != null) {
            advance(last);
        }
    }

    /** Records an older page asked for with {@code /history}. */
    public synchronized void shownPage(String with, List<ChatMessage> messages) {
        for (ChatMessage m : messages) {
            noteShown(with, m.id());
        }
    }

    /** The id a reconnection asks to resume after ({@code since}): the last one shown. */
    public synchronized long resumeAfter() {
        return lastShown;
    }

    /** The oldest id shown in a conversation, or null when none was: where /history pages back from. */
    public synchronized Long oldestShown(String conversation) {
        return oldestShown.get(conversation);
    }

    /** The conversation a message belongs to, seen from this user: the other user, or {@code *}. */
    public String conversationOf(ChatMessage m) {
        if (m.isBroadcast()) {
            return Protocol.BROADCAST;
        }
        return me.equals(m.from()) ? m.to() : m.from();
    }

    private void advance(long id) {
        if (id > lastShown) {
            lastShown = id;
            // own ids at or below the resume point can no longer be replayed
            ownIds.headSet(id, true).clear();
        }
    }

    private void noteShown(String conversation, long id) {
        oldestShown.merge(conversation, id, Math::min);
    }
}
