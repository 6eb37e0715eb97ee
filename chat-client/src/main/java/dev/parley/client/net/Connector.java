package dev.parley.client.net;

import dev.parley.cli.DurationText;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens a connection and logs in: sends hello and waits for welcome. Sorts failures into the
 * three kinds a caller treats differently: unreachable, refused, and anything else worth a retry.
 * It keeps the resume token of the last welcome (protocol v1.1) and logs in again with it in
 * place of the password, so that a server restart moving many clients costs no password hashes;
 * a token the server no longer takes is followed by a login with the password.
 */
public final class Connector {
    private final String host;
    private final int port;
    private final Duration timeout;
    /** The last welcome's resume token and the user it is for; null before one came. */
    private volatile ResumeToken token;

    private record ResumeToken(String user, String value) {
    }

    /** {@code timeout} bounds both the TCP connect and the wait for welcome. */
    public Connector(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Connects and logs in with {@code hello}. Frames after welcome (history, msg) stay unread
     * in the returned connection.
     *
     * @throws UnreachableException no TCP connection could be made
     * @throws NotParleyException what answers at the address is not a Parley chat server
     * @throws LoginRefusedException the server refused this hello (wrong password, invalid values)
     * @throws IOException anything else: the connection dropped, the store is down, the server is draining
     */
    public Connected connect(ClientFrame.Hello hello) throws IOException, LoginRefusedException {
        // v1.1: the welcome names the newest id, a catch-up after since ends with caught-up, and
        // the welcome brings a resume token
        hello = hello.version() == null ? hello.speaking(Protocol.VERSION) : hello;
        ResumeToken resume = token;
        if (resume != null && resume.user().equals(hello.user()) && hello.token() == null) {
            token = null;
            try {
                return login(hello.resuming(resume.value()), hello);
            } catch (LoginRefusedException e) {
                // expired, or revoked: the password still logs in
            }
        }
        return login(hello, hello);
    }

    /** @param withPassword the hello to send again without {@code to} when the recipient is unknown */
    private Connected login(ClientFrame.Hello hello, ClientFrame.Hello withPassword)
            throws IOException, LoginRefusedException {
        ChatConnection connection;
        try {
            connection = ChatConnection.open(host, port, timeout);
        } catch (UnknownHostException e) {
            throw new UnreachableException(address(), "unknown host " + host, e);
        } catch (IOException e) {
            throw new UnreachableException(address(), reason(e), e);
        }
        boolean welcomed = false;
        try {
            connection.readTimeout(timeout);
            connection.send(hello);
            ServerFrame frame = awaitAnswer(connection);
            boolean recipientUnknown = false;
            if (frame instanceof ServerFrame.Error error && error.code() == ErrorCode.NO_SUCH_USER && hello.to() != null) {
                // the connection stays open after NO_SUCH_USER: log in without a default recipient (whose
                // conversation is empty anyway) and let the caller say that the recipient has not joined
                recipientUnknown = true;
                connection.send(new ClientFrame.Hello(withPassword.user(), withPassword.password(), null,
                        withPassword.since() == null ? 0 : null, withPassword.since(), withPassword.version(), null,
                        withPassword.register()));
                frame = awaitAnswer(connection);
            }
            ServerFrame.Welcome welcome = welcome(frame);
            if (welcome.token() != null) {
                token = new ResumeToken(welcome.user(), welcome.token());
            }
            connection.readTimeout(Duration.ZERO);
            welcomed = true;
            return new Connected(connection, welcome, recipientUnknown);
        } finally {
            if (!welcomed) {
                connection.close();
            }
        }
    }

    /**
     * The first frame after hello. What is not a frame at all, or silence, means the port is
     * not a Parley chat port (a common slip: the HTTP port), which retrying will not change.
     */
    private ServerFrame awaitAnswer(ChatConnection connection) throws IOException {
        byte[] line;
        try {
            line = connection.readLine();
        } catch (SocketTimeoutException e) {
            throw new NotParleyException(address() + " accepted the connection but did not answer the login within "
                    + DurationText.format(timeout) + ": is it a Parley chat port (usually " + Protocol.DEFAULT_PORT + ")?", e);
        }
        if (line == null) {
            throw new IOException("server at " + address() + " closed the connection during login");
        }
        try {
            return FrameCodec.decodeServerFrame(line);
        } catch (ProtocolException e) {
            throw new NotParleyException(address() + (looksLikeHttp(line)
                    ? " speaks HTTP, not the Parley chat protocol: is it the server's HTTP port? The chat port is usually "
                    : " does not speak the Parley chat protocol: its answer to the login is not a Parley frame. "
                    + "The chat port is usually ") + Protocol.DEFAULT_PORT, e);
        }
    }

    /** An HTTP server answers any request line it cannot parse with a status line such as {@code HTTP/1.1 400}. */
    private static boolean looksLikeHttp(byte[] line) {
        return new String(line, 0, Math.min(line.length, 5), StandardCharsets.US_ASCII).equals("HTTP/");
    }

    /** The welcome, or the failure that the answer to hello stands for. */
    private ServerFrame.Welcome welcome(ServerFrame frame) throws IOException, LoginRefusedException {
        if (frame instanceof ServerFrame.Welcome welcome) {
            return welcome;
        }
        if (frame instanceof ServerFrame.Error error) {
            if (error.code() == ErrorCode.UNAVAILABLE || error.code() == ErrorCode.RATE_LIMITED) {
                throw new IOException("server at " + address() + " cannot log you in right now: " + error.message());
            }
            throw new LoginRefusedException(error);
        }
        if (frame instanceof ServerFrame.Bye) {
            throw new IOException("server at " + address() + " is shutting down");
        }
        throw new IOException("server at " + address() + " sent '" + frame.type()
                + "' before welcome, which the protocol does not allow");
    }

    private static String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no answer (timed out)";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT);
    }
}
