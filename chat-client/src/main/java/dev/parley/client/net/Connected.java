package dev.parley.client.net;

import dev.parley.protocol.ServerFrame;

/** A logged-in connection: the server answered hello with {@code welcome}. */
public record Connected(ChatConnection connection, ServerFrame.Welcome welcome) {
}
