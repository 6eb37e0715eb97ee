package dev.parley.server.store;

/**
 * A message accepted from a client (or the admin endpoint), not yet stored; {@code clientId} is
 * the send's client message id, or null when it gave none.
 */
public record NewMessage(String from, String to, String text, String origin, String clientId) {
    public NewMessage(String from, String to, String text, String origin) {
        this(from, to, text, origin, null);
    }
}
