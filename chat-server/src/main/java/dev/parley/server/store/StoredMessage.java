package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;

/** A message read back from the fan-out stream, with the session that sent it. */
public record StoredMessage(ChatMessage message, String origin) {
}
