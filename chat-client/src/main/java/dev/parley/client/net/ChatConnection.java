package dev.parley.client.net;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * One TCP connection speaking protocol v1: frames out as JSON lines, server lines in and decoded
 * with the shared {@link FrameCodec}. Blocking; one thread reads, any thread may send.
 */
public final class ChatConnection implements AutoCloseable {
    /**
     * Longest server line accepted. A history frame of 1000 messages of 4000 characters is
     * about 16 MB of JSON; anything far beyond that is a broken peer, not a big message.
     */
    static final int MAX_LINE_BYTES = 64 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String peer;
    private final byte[] chunk = new byte[16 << 10];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private int chunkPos;
    private int chunkEnd;
    private volatile long lastSent = System.nanoTime();

    ChatConnection(Socket socket, String peer) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.peer = peer;
    }

    /** Connects to {@code host:port}, failing after {@code timeout} if nobody answers. */
    public static ChatConnection open(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            return new ChatConnection(socket, host + ":" + port);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket, e);
            throw e;
        }
    }

    /** Writes one frame; safe to call from several threads. */
    public void send(ClientFrame frame) throws IOException {
        byte[] bytes = FrameCodec.encode(frame);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
        lastSent = System.nanoTime();
    }

    /** Time since this connection last sent a frame. */
    public Duration sinceLastSend() {
        return Duration.ofNanos(System.nanoTime() - lastSent);
    }

    /**
     * Reads the next frame, or returns null at the end of the stream. A line that breaks the
     * protocol is consumed and reported as a {@link ProtocolException}; the connection stays
     * usable. A read timeout ({@link #readTimeout}) surfaces as {@link java.net.SocketTimeoutException}
     * and keeps any partial line for the next call.
     */
    public ServerFrame read() throws IOException, ProtocolException {
        byte[] line = readLine();
        return line == null ? null : FrameCodec.decodeServerFrame(line);
    }

    /** The next line as sent, without its line end, or null at the end of the stream; timeouts as in {@link #read}. */
    byte[] readLine() throws IOException {
        while (true) {
            for (int i = chunkPos; i < chunkEnd; i++) {
                if (chunk[i] == '\n') {
                    line.write(chunk, chunkPos, i - chunkPos);
                    chunkPos = i + 1;
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    return stripCarriageReturn(bytes);
                }
            }
            line.write(chunk, chunkPos, chunkEnd - chunkPos);
            chunkPos = chunkEnd;
            if (line.size() > MAX_LINE_BYTES) {
                throw new ProtocolFailure("server sent a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            int n = in.read(chunk);
            if (n == -1) {
                return null;
            }
            chunkPos = 0;
            chunkEnd = n;
        }
    }

    /** How long {@link #read} blocks before it throws a timeout; zero waits for ever. */
    public void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** {@code host:port} as the user gave it. */
    public String peer() {
        return peer;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing is left to release: the socket is unusable whether or not close succeeded
        }
    }

    private static byte[] stripCarriageReturn(byte[] bytes) {
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            byte[] shorter = new byte[bytes.length - 1];
            System.arraycopy(bytes, 0, shorter, 0, shorter.length);
            return shorter;
        }
        return bytes;
    }

    private static void closeQuietly(Socket socket, Exception cause) {
        try {
            socket.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** The server broke the framing badly enough that the connection cannot go on. */
    static final class ProtocolFailure extends IOException {
        ProtocolFailure(String message) {
            super(message);
        }
    }
}
