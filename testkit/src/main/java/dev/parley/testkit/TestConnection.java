package dev.parley.testkit;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking protocol v1 connection for tests: a reader thread decodes server frames into a
 * queue, and the test waits for the frames it expects with a timeout.
 */
public final class TestConnection implements AutoCloseable {
    /** Marks the end of the stream in the queue. */
    private static final ServerFrame CLOSED = new ServerFrame.Error(null, "connection closed", null);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private TestConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "test-connection-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static TestConnection open(String host, int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setTcpNoDelay(true);
            return new TestConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    public void send(ClientFrame frame) {
        sendRaw(FrameCodec.encode(frame));
    }

    /** Sends bytes as they are: the test adds the newline itself when it wants one. */
    public synchronized void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("send failed", e);
        }
    }

    /** Sends hello and waits for the welcome; returns the frames that followed it within the timeout. */
    public ServerFrame.Welcome hello(String user, String password) {
        send(new ClientFrame.Hello(user, password, null, null, null));
        return expect(ServerFrame.Welcome.class);
    }

    /** The next frame, or null when none arrives within {@code timeout} or the connection closed. */
    public ServerFrame next(Duration timeout) {
        try {
            ServerFrame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == CLOSED) {
                frames.offer(CLOSED);
                return null;
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next frame, which must be of {@code type} and arrive within 10 s. */
    public <T extends ServerFrame> T expect(Class<T> type) {
        return expect(type, Duration.ofSeconds(10));
    }

    public <T extends ServerFrame> T expect(Class<T> type, Duration timeout) {
        ServerFrame frame = next(timeout);
        if (!type.isInstance(frame)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got "
                    + (frame == null ? (isClosedByPeer() ? "end of stream" : "nothing within " + timeout) : frame));
        }
        return type.cast(frame);
    }

    /** Skips frames until one of {@code type} arrives (for tests that do not care about the rest). */
    public <T extends ServerFrame> T skipUntil(Class<T> type, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            ServerFrame frame = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (type.isInstance(frame)) {
                return type.cast(frame);
            }
            if (frame == null) {
                break;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + timeout);
    }

    /**
     * The ids of the next {@code count} msg frames, or of as many as arrive within {@code timeout}
     * (fewer, for the caller's assertion to show). Any other frame fails at once: this is for
     * sessions that only receive.
     */
    public List<Long> awaitMsgIds(int count, Duration timeout) {
        List<Long> ids = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (ids.size() < count && end - System.nanoTime() > 0) {
            ServerFrame frame = next(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            if (frame == null) {
                break;
            }
            if (!(frame instanceof ServerFrame.Msg msg)) {
                throw new AssertionError("expected only msg frames but got " + frame + " after " + ids.size()
                        + " msgs");
            }
            ids.add(msg.message().id());
        }
        return ids;
    }

    /** Every frame that arrives within {@code quiet} of the previous one. */
    public List<ServerFrame> drain(Duration quiet) {
        List<ServerFrame> out = new ArrayList<>();
        for (ServerFrame f = next(quiet); f != null; f = next(quiet)) {
            out.add(f);
        }
        return out;
    }

    /** Whether the server closed the connection (end of stream seen). */
    public boolean isClosedByPeer() {
        return closed;
    }

    /** Waits for the server to close the connection. */
    public boolean awaitClosed(Duration timeout) {
        return Deadline.await(timeout, () -> closed);
    }

    /** Stops reading from the socket's queue side: frames still arrive but nobody consumes them. */
    public Socket socket() {
        return socket;
    }

    private void readLoop() {
        try (InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n != -1; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        frames.offer(decode(line.toByteArray()));
                        line.reset();
                    } else {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the connection ended; the marker below tells waiting tests
        } finally {
            closed = true;
            frames.offer(CLOSED);
        }
    }

    private static ServerFrame decode(byte[] line) {
        try {
            return FrameCodec.decodeServerFrame(line);
        } catch (ProtocolException e) {
            // surfaced to the test as an error frame no real server sends, so the assertion shows it
            return new ServerFrame.Error(ErrorCode.BAD_FRAME, "test saw a frame that breaks the protocol: "
                    + new String(line, StandardCharsets.UTF_8) + " (" + e.getMessage() + ")", null);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket: nothing to do
        }
    }
}
