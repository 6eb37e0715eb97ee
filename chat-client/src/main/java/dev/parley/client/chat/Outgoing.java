package dev.parley.client.chat;

/** A message this client sent and the server has not yet acknowledged; {@code to} is a user or {@code *}. */
public record Outgoing(String ref, String to, String text) {
}
