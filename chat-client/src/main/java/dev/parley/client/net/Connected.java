package dev.parley.client.net;

import dev.parley.protocol.ServerFrame;

/**
 * A logged-in connection: the server answered hello with {@code welcome}. When the hello's
 * {@code to} was not a registered user, the login went ahead without it and
 * {@code recipientUnknown} says so.
 */
public record Connected(ChatConnection connection, ServerFrame.Welcome welcome, boolean recipientUnknown) {
}
