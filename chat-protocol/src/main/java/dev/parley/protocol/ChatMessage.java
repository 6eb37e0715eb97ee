package dev.parley.protocol;

import java.util.Objects;

/**
 * One stored chat message: a direct message when {@code to} is a user name, a broadcast when it
 * is {@link Protocol#BROADCAST}. Ids are positive and strictly increasing across the service.
 */
public record ChatMessage(long id, String from, String to, String text, long ts) {
    public ChatMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
    }

    public boolean isBroadcast() {
        return Protocol.BROADCAST.equals(to);
    }
}
