package dev.parley.client.chat;

/**
 * A message this client sent and the server has not yet acknowledged; {@code to} is a user or
 * {@code *}. {@code id} is its client message id, sent as the send's {@code id} and {@code ref}
 * on every attempt (null for a message that has none).
 */
public record Outgoing(String id, String to, String text) {
}
