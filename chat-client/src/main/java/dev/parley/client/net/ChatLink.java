package dev.parley.client.net;

import dev.parley.cli.Backoff;
import dev.parley.cli.DurationText;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A session with the server that outlives connections. The caller logs in once with
 * {@link #open}; then one listener thread reads frames and hands them to a {@link LinkListener},
 * and when the connection drops it logs in again with the hello that {@code resumeHello} builds
 * at that moment (carrying {@code since}), waiting between attempts as {@link Backoff} says.
 * Without a backoff the link does not reconnect. An idle connection is probed with ping so that
 * a silently dead peer is noticed.
 */
public final class ChatLink implements AutoCloseable {
    private final Connector connector;
    private final Supplier<ClientFrame.Hello> resumeHello;
    private final LinkListener listener;
    private final Backoff backoff;
    private final Duration heartbeat;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile ChatConnection current;
    private Thread thread;

    /**
     * @param backoff null for a link that ends when its connection drops
     * @param heartbeat idle time after which the server is pinged (no frame from it, or none sent to
     *                  it); twice that without a frame from it ends the connection
     */
    public ChatLink(Connector connector, Supplier<ClientFrame.Hello> resumeHello, LinkListener listener,
                    Backoff backoff, Duration heartbeat) {
        this.connector = connector;
        this.resumeHello = resumeHello;
        this.listener = listener;
        this.backoff = backoff;
        this.heartbeat = heartbeat;
    }

    /** Connects and logs in on the caller's thread; nothing is read until {@link #start()}. */
    public Connected open(ClientFrame.Hello hello) throws IOException, LoginRefusedException {
        Connected connected = connector.connect(hello);
        current = connected.connection();
        return connected;
    }

    /** Starts the listener thread. */
    public synchronized void start() {
        if (current == null || thread != null) {
            throw new IllegalStateException("open() first, and start() once");
        }
        thread = new Thread(this::run, "parley-listener");
        thread.setDaemon(true);
        thread.start();
    }

    /** Sends a frame if a connection is up; false when there is none (the caller may keep it for later). */
    public boolean send(ClientFrame frame) {
        ChatConnection connection = current;
        if (connection == null) {
            return false;
        }
        try {
            connection.send(frame);
            return true;
        } catch (IOException e) {
            // the listener thread sees the same broken socket and reports the loss with its reason
            connection.close();
            return false;
        }
    }

    public boolean isConnected() {
        return current != null;
    }

    /** Says bye, closes the connection and waits (briefly) for the listener thread to end. */
    @Override
    public void close() {
        closing.countDown();
        ChatConnection connection = current;
        if (connection != null) {
            send(new ClientFrame.Bye());
            connection.close();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    private void run() {
        try {
            listener.onEnded(loop());
        } catch (RuntimeException e) {
            ChatConnection connection = current;
            if (connection != null) {
                connection.close();
            }
            listener.onEnded(new LinkEnd(LinkEnd.Kind.FAILED, e.toString()));
        }
    }

    private LinkEnd loop() {
        ChatConnection connection = current;
        while (true) {
            String reason = readUntilLost(connection);
            connection.close();
            current = null;
            if (isClosing()) {
                return new LinkEnd(LinkEnd.Kind.CLOSED, "closed");
            }
            if (backoff == null) {
                return new LinkEnd(LinkEnd.Kind.LOST, reason);
            }
            Duration delay = backoff.next();
            listener.onConnectionLost(reason, delay);
            connection = null;
            while (connection == null) {
                if (sleepUnlessClosing(delay)) {
                    return new LinkEnd(LinkEnd.Kind.CLOSED, "closed");
                }
                try {
                    Connected connected = connector.connect(resumeHello.get());
                    connection = connected.connection();
                    current = connection;
                    if (isClosing()) {
                        connection.close();
                        return new LinkEnd(LinkEnd.Kind.CLOSED, "closed");
                    }
                    backoff.reset();
                    listener.onReconnected(connected.welcome());
                } catch (LoginRefusedException e) {
                    return new LinkEnd(LinkEnd.Kind.REFUSED, e.getMessage());
                } catch (IOException e) {
                    delay = backoff.next();
                    listener.onRetryFailed(e.getMessage(), delay);
                }
            }
        }
    }

    /** Reads frames until the connection ends; returns why it ended, in words. */
    private String readUntilLost(ChatConnection connection) {
        boolean probing = false;
        try {
            connection.readTimeout(heartbeat);
            while (true) {
                ServerFrame frame;
                try {
                    frame = connection.read();
                } catch (SocketTimeoutException e) {
                    if (probing) {
                        return "no answer from the server for " + DurationText.format(heartbeat.multipliedBy(2));
                    }
                    connection.send(new ClientFrame.Ping());
                    probing = true;
                    continue;
                } catch (ProtocolException e) {
                    listener.onBadFrame(e);
                    continue;
                }
                if (frame == null) {
                    return "the server closed the connection";
                }
                probing = false;
                if (connection.sinceLastSend().compareTo(heartbeat) > 0) {
                    // The server closes connections that say nothing for a while (its idle
                    // timeout); while only it talks, a ping now and then says we are still here.
                    connection.send(new ClientFrame.Ping());
                }
                if (!(frame instanceof ServerFrame.Pong)) {
                    listener.onFrame(frame);
                }
            }
        } catch (IOException e) {
            return isClosing() ? "closed" : String.valueOf(e.getMessage());
        }
    }

    private boolean sleepUnlessClosing(Duration delay) {
        try {
            return closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
