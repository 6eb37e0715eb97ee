package dev.parley.server.session;

import dev.parley.protocol.ChatMessage;

/** A message on its way to sessions, with its msg frame encoded once for all of them. */
public record Outbound(ChatMessage message, byte[] frame) {
}
