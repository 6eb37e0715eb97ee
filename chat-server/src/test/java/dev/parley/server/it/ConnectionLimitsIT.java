package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.Closer;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a connection may hold of the server: it must log in within the login timeout (silence,
 * half a line or a byte now and then do not count), a logged-in one that says nothing for the
 * idle timeout is closed while one that pings stays, connections over the caps are refused with
 * a reason, HTTP connections do not outlive their timeout, and sockets have TCP keepalive.
 */
class ConnectionLimitsIT {
    private static final Duration LOGIN = Duration.ofSeconds(2);
    private static final Duration IDLE = Duration.ofSeconds(3);
    private static final Duration HTTP = Duration.ofSeconds(2);

    /** Fresh for each test: the connection counts start from zero. */
    @RegisterExtension
    final ParleyCluster cluster = ParleyCluster.builder(ConnectionLimitsIT.class).servers("limits-it")
            .arg("--login-timeout", LOGIN.toSeconds() + "s", "--idle-timeout", IDLE.toSeconds() + "s",
                    "--max-connections", "6", "--max-connections-per-address", "5",
                    "--http-timeout", HTTP.toSeconds() + "s")
            .build();
    private final ChatServerProcess server = cluster.server();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeConnections() {
        Closer.closeAll(open.toArray(AutoCloseable[]::new));
    }

    private TestConnection connect() {
        TestConnection c = server.connect();
        open.add(c);
        return c;
    }

    @Test
    void aConnectionThatNeverLogsInIsToldWhyAndClosed() {
        TestConnection silent = connect();
        TestConnection halfLine = connect();
        halfLine.sendRaw("{\"type\":\"hello\",\"user\":".getBytes(StandardCharsets.UTF_8));

        for (TestConnection c : List.of(silent, halfLine)) {
            ServerFrame.Error error = c.expect(ServerFrame.Error.class, LOGIN.plus(WAIT));
            assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
            assertThat(error.message()).contains("no login within 2 s");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void aByteNowAndThenDoesNotKeepALoginOpen() throws Exception {
        TestConnection trickle = connect();
        long start = System.nanoTime();
        byte[] hello = "{\"type\":\"hello\",\"user\":\"x\",\"password\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hello.length && !trickle.isClosedByPeer(); i++) {
            trickle.sendRaw(new byte[] {hello[i]});
            Thread.sleep(500);
        }
        assertThat(trickle.awaitClosed(WAIT)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LOGIN.plus(WAIT));
    }

    @Test
    void aSilentLoggedInConnectionIsClosedAndOneThatPingsStays() throws Exception {
        TestConnection silent = login(server, user("idle-silent"));
        open.add(silent);
        String pingingUser = user("idle-pinging");
        TestConnection pinging = login(server, pingingUser);
        open.add(pinging);
        long deadline = System.nanoTime() + IDLE.multipliedBy(2).toNanos();
        while (System.nanoTime() < deadline) {
            pinging.send(new ClientFrame.Ping());
            pinging.expect(ServerFrame.Pong.class);
            Thread.sleep(IDLE.toMillis() / 3);
        }
        assertThat(silent.awaitClosed(WAIT)).as("silent for twice the idle timeout").isTrue();
        assertThat(pinging.isClosedByPeer()).isFalse();
        pinging.send(new ClientFrame.Who());
        assertThat(pinging.skipUntil(ServerFrame.WhoList.class, WAIT).users()).contains(pingingUser);
    }

    @Test
    void connectionsOverTheCapsAreRefusedWithAReason() {
        List<TestConnection> admitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            admitted.add(connect());
        }
        // Each admitted connection answers a ping: they are really in.
        for (TestConnection c : admitted) {
            c.send(new ClientFrame.Ping());
            c.expect(ServerFrame.Pong.class);
        }
        TestConnection sixth = connect();
        ServerFrame.Error perAddress = sixth.expect(ServerFrame.Error.class);
        assertThat(perAddress.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(perAddress.message()).contains("too many connections from 127.0.0.1");
        assertThat(sixth.awaitClosed(WAIT)).isTrue();

        admitted.get(0).close();
        TestConnection again = awaitAdmitted();
        again.send(new ClientFrame.Ping());
        assertThat(again.expect(ServerFrame.Pong.class)).isNotNull();
    }

    /** A closed slot is freed as the server sees the close: retry briefly until admitted. */
    private TestConnection awaitAdmitted() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            TestConnection c = connect();
            c.send(new ClientFrame.Ping());
            ServerFrame first = c.next(WAIT);
            if (first instanceof ServerFrame.Pong) {
                return c;
            }
            assertThat(System.nanoTime()).as("a slot freed within %s", WAIT).isLessThan(deadline);
        }
    }

    @Test
    void slowHttpHeadersAreCutOffAtTheTimeout() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5000);
            socket.setSoTimeout((int) HTTP.multipliedBy(10).toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            byte[] request = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write(request[i % request.length]);
                    out.flush();
                } catch (java.io.IOException e) {
                    cut = true;
                }
                Thread.sleep(HTTP.toMillis() / 2);
                cut = cut || closed(socket, in);
            }
            long took = System.nanoTime() - start;
            assertThat(cut).as("connection closed by the server").isTrue();
            assertThat(Duration.ofNanos(took)).isLessThan(HTTP.multipliedBy(4).plus(Duration.ofSeconds(3)));
        }
    }

    private static boolean closed(Socket socket, InputStream in) throws java.io.IOException {
        socket.setSoTimeout(1);
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        } finally {
            socket.setSoTimeout(0);
        }
    }

    @Test
    void chatSocketsHaveTcpKeepalive() throws Exception {
        TestConnection c = login(server, user("keepalive"));
        open.add(c);
        Process ss = new ProcessBuilder("ss", "-tnoH", "state", "established", "( sport = :" + server.port() + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("ss output for the server's side of the connection").contains("keepalive");
    }
}
