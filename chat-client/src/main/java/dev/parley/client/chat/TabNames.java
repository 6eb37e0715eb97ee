package dev.parley.client.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The user names Tab offers: everyone seen online or on the other side of a message, never this
 * user, everyone ({@code *}) or the server. Shared by the thread that reads the user's lines and
 * the one that reads the server; no I/O.
 */
public final class TabNames {
    private final String me;
    private final Set<String> names = new ConcurrentSkipListSet<>();

    public TabNames(String me) {
        this.me = me;
    }

    /** The other side of a message. */
    public void remember(ChatMessage m) {
        for (String name : List.of(m.from(), m.to())) {
            if (!name.equals(me) && !Protocol.BROADCAST.equals(name) && !Protocol.SERVER_USER.equals(name)) {
                names.add(name);
            }
        }
    }

    /** A user known to exist, such as one {@code /to} switched to. */
    public void add(String user) {
        names.add(user);
    }

    /** Users online, as {@code /who} listed them, less this user. */
    public void online(Collection<String> users) {
        for (String user : users) {
            if (!user.equals(me)) {
                names.add(user);
            }
        }
    }

    /** The names, sorted; a live view. */
    public Collection<String> all() {
        return names;
    }
}
