package dev.parley.server.store;

/** A message accepted from a client (or the admin endpoint), not yet stored. */
public record NewMessage(String from, String to, String text, String origin) {
}
