package dev.parley.client.command;

import dev.parley.client.chat.ReadMarks;
import dev.parley.client.chat.TabNames;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import java.util.List;
import java.util.function.Predicate;

/**
 * The user's read positions, which a 1.1 server keeps (its welcome says {@code last}) and a 1.0
 * one does not: what arrived unread while the user was away is shown on login, and what is shown
 * from then on is told to the server, one {@code read} frame per conversation and flush.
 */
final class ReadPositions {
    private final SessionScreen screen;
    private final TabNames names;
    /** Sends a frame on the current connection; false when there is none. */
    private final Predicate<ClientFrame> link;
    /** What was shown and not yet told to the server. */
    private final ReadMarks reads;
    /** The server speaks 1.1: it may keep read positions. */
    private volatile boolean kept;
    /** The conversation the login history showed, whose unread messages are on the screen already. */
    private volatile String shownOnLogin;

    ReadPositions(String user, SessionScreen screen, TabNames names, Predicate<ClientFrame> link) {
        this.screen = screen;
        this.names = names;
        this.link = link;
        this.reads = new ReadMarks(user);
    }

    /** A (new) connection's welcome says whether the server keeps read positions. */
    void welcome(ServerFrame.Welcome welcome) {
        kept = welcome.last() != null;
    }

    boolean kept() {
        return kept;
    }

    /** The login history showed the conversation with {@code with}. */
    void shownOnLogin(String with) {
        shownOnLogin = with;
    }

    void shown(ChatMessage m) {
        reads.shown(m);
    }

    void shown(List<ChatMessage> messages) {
        reads.shown(messages);
    }

    /**
     * A line per conversation with messages from others this user has not read, on any device;
     * a DM conversation's newest ones are shown under it. The broadcast gets its line only: it is
     * everyone's, and its latest messages are the login history's.
     */
    void showUnread(ServerFrame.Unread unread) {
        for (ServerFrame.Unread.Conversation c : unread.conversations()) {
            String counted = c.count() + (c.count() >= Protocol.UNREAD_COUNT_CAP ? "+" : "") + " unread";
            if (Protocol.BROADCAST.equals(c.with())) {
                screen.notice(counted + " with everyone since you last read");
                continue;
            }
            if (c.with().equals(shownOnLogin)) {
                screen.notice(counted + " from " + c.with() + ", in the messages above");
                continue;
            }
            screen.notice(counted + " from " + c.with() + ":");
            int more = c.count() - c.messages().size();
            if (more > 0) {
                screen.notice("and " + more + " earlier: /to " + c.with() + " then /history");
            }
            for (ChatMessage m : c.messages()) {
                names.remember(m);
                screen.message(m);
            }
            reads.shown(c.messages());
        }
    }

    /** Tells the server what was shown since the last time; a frame that cannot go now goes later. */
    void flush() {
        for (ClientFrame.Read read : reads.take()) {
            if (kept && !link.test(read)) {
                reads.owe(read);
            }
        }
    }
}
