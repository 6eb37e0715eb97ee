package dev.parley.client.net;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake server on loopback whose every answer the test writes by hand, to check the exact
 * frames the client sends and how it copes with a server that breaks the rules.
 */
public final class ScriptedServer implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ServerSocket socket;
    private final BlockingQueue<Peer> accepted = new LinkedBlockingQueue<>();

    public ScriptedServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The next client connection, within 10 s. */
    public Peer accept() throws InterruptedException {
        Peer peer = accepted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (peer == null) {
            throw new AssertionError("no client connected within " + WAIT);
        }
        return peer;
    }

    private void acceptLoop() {
        try {
            while (!socket.isClosed()) {
                accepted.add(new Peer(socket.accept()));
            }
        } catch (IOException e) {
            // the test closed the listening socket: no more clients
            accepted.add(Peer.NONE);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One client connection: lines the client sent, and a way to answer. */
    public static final class Peer implements AutoCloseable {
        static final Peer NONE = new Peer();
        private static final String EOF = new String("end of stream");
        private final Socket socket;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Peer() {
            this.socket = null;
        }

        Peer(Socket socket) {
            this.socket = socket;
            Thread reader = new Thread(this::readLoop, "scripted-peer");
            reader.setDaemon(true);
            reader.start();
        }

        /** Sends one raw line (the newline is added). */
        public void send(String line) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The next frame the client sent, which must be a {@code type}. Read frames on the way are
         * skipped (unless one is expected): the client sends them on a timer, whatever the script does.
         */
        public <T extends ClientFrame> T expect(Class<T> type) throws InterruptedException {
            String line = nextLine();
            while (type != ClientFrame.Read.class && isRead(line)) {
                line = nextLine();
            }
            try {
                ClientFrame frame = FrameCodec.decodeClientFrame(line.getBytes(StandardCharsets.UTF_8));
                if (!type.isInstance(frame)) {
                    throw new AssertionError("expected " + type.getSimpleName() + " but the client sent " + line);
                }
                return type.cast(frame);
            } catch (ProtocolException e) {
                throw new AssertionError("the client sent a bad frame: " + line + " (" + e.getMessage() + ")", e);
            }
        }

        /** The next raw line the client sent. */
        public String nextLine() throws InterruptedException {
            String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("the client sent nothing within " + WAIT);
            }
            if (line == EOF) {
                lines.add(EOF);
                throw new AssertionError("the client closed the connection");
            }
            return line;
        }

        /** The next raw line other than a read frame that the client sent within {@code timeout}, or null. */
        public String lineOtherThanReadWithin(java.time.Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
                String line = lineWithin(java.time.Duration.ofNanos(left));
                if (line == null || !isRead(line)) {
                    return line;
                }
            }
            return null;
        }

        private static boolean isRead(String line) {
            try {
                return FrameCodec.decodeClientFrame(line.getBytes(StandardCharsets.UTF_8)) instanceof ClientFrame.Read;
            } catch (ProtocolException e) {
                return false;
            }
        }

        /** The next raw line the client sent within {@code timeout}, or null when it sent none. */
        public String lineWithin(java.time.Duration timeout) throws InterruptedException {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == EOF) {
                lines.add(EOF);
                throw new AssertionError("the client closed the connection");
            }
            return line;
        }

        /** Whether the client closed its side within 10 s. */
        public boolean awaitClientClosed() throws InterruptedException {
            long end = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < end) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == EOF) {
                    lines.add(EOF);
                    return true;
                }
            }
            return false;
        }

        private void readLoop() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the test or the client closed the socket; EOF below tells whoever waits
                lines.add(EOF);
                return;
            }
            lines.add(EOF);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
