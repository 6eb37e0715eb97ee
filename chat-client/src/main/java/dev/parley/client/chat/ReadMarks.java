package dev.parley.client.chat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this client has shown, per conversation, not yet told to the server: gathered between two
 * flushes so that a busy conversation costs one {@code read} frame a flush, not one a message.
 */
public final class ReadMarks {
    private final String user;
    private final Map<String, Long> pending = new ConcurrentHashMap<>();

    public ReadMarks(String user) {
        this.user = user;
    }

    /** {@code m} is on the screen. */
    public void shown(ChatMessage m) {
        String with = Protocol.BROADCAST.equals(m.to()) ? Protocol.BROADCAST
                : user.equals(m.from()) ? m.to() : m.from();
        pending.merge(with, m.id(), Math::max);
    }

    public void shown(List<ChatMessage> messages) {
        messages.forEach(this::shown);
    }

    /** The read frames owed since the last call, and forgets them. */
    public List<ClientFrame.Read> take() {
        List<ClientFrame.Read> out = new ArrayList<>();
        for (String with : List.copyOf(pending.keySet())) {
            Long id = pending.remove(with);
            if (id != null) {
                out.add(new ClientFrame.Read(with, id));
            }
        }
        return out;
    }

    /** A frame that could not be sent is owed again (unless a newer one is already). */
    public void owe(ClientFrame.Read read) {
        pending.merge(read.with(), read.id(), Math::max);
    }
}
