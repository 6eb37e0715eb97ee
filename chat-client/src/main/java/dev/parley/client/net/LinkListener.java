package dev.parley.client.net;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.time.Duration;

/** What a {@link ChatLink} reports, always from its listener thread. */
public interface LinkListener {
    /** Every frame after welcome, in arrival order; heartbeat pongs are kept out. */
    void onFrame(ServerFrame frame);

    /** A line the server sent that breaks protocol v1; it was skipped and the link goes on. */
    void onBadFrame(ProtocolException e);

    /** The connection dropped; the link tries again after {@code retryIn}. */
    void onConnectionLost(String reason, Duration retryIn);

    /** A reconnection attempt failed; the next one is after {@code retryIn}. */
    void onRetryFailed(String reason, Duration retryIn);

    /** Logged in again after a drop; frames from the resumed session follow. */
    void onReconnected(ServerFrame.Welcome welcome);

    /** The link is over for good; nothing else is reported after this. */
    void onEnded(LinkEnd end);
}
