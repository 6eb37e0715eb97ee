package dev.parley.client.net;

/** Why a {@link ChatLink} stopped. */
public record LinkEnd(Kind kind, String reason) {
    public enum Kind {
        /** {@link ChatLink#close()} was called. */
        CLOSED,
        /** The connection dropped and this link does not reconnect. */
        LOST,
        /** A reconnection's hello was refused (the password changed, say); retrying will not help. */
        REFUSED,
        /** A bug in this client: the listener threw. */
        FAILED
    }
}
