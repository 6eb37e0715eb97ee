package dev.parley.client.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What one user's client knows about the conversation, shared by the thread that reads the
 * user's lines and the thread that reads the server: the current recipient, the messages sent
 * and not yet acknowledged, the last message id shown (where a reconnection resumes) and the
 * oldest id shown per conversation (where {@code /history} pages back from). No I/O.
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

    private final String me;
    private String recipient;
    private long refCounter;
    private final Map<String, Outgoing> pending = new LinkedHashMap<>();
    /** Ids of own messages shown on their ack and above {@link #lastShown}, so a replay skips them. */
    private final NavigableSet<Long> ownIds = new TreeSet<>();
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

    /** Records a message about to be sent and returns it with its fresh ref. */
    public synchronized Outgoing outgoing(String to, String text) {
        Outgoing out = new Outgoing(Long.toString(++refCounter), to, text);
        pending.put(out.ref(), out);
        return out;
    }

    /**
     * The server stored the message tagged {@code ref} as {@code id}: returns what was sent,
     * as a message to show, or null for a ref this client does not know.
     */
    public synchronized ChatMessage acked(String ref, long id, long ts) {
        Outgoing out = ref == null ? null : pending.remove(ref);
        notifyAll();
        if (out == null) {
            return null;
        }
        if (id > lastShown) {
            ownIds.add(id);
        }
        ChatMessage shown = new ChatMessage(id, me, out.to(), out.text(), ts);
        noteShown(conversationOf(shown), id);
        return shown;
    }

    /** The server refused the message tagged {@code ref}; returns what was sent, or null. */
    public synchronized Outgoing failed(String ref) {
        notifyAll();
        return ref == null ? null : pending.remove(ref);
    }

    /** The connection dropped: returns the messages sent but never acknowledged, and forgets them. */
    public synchronized List<Outgoing> unconfirmed() {
        List<Outgoing> out = new ArrayList<>(pending.values());
        pending.clear();
        notifyAll();
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
