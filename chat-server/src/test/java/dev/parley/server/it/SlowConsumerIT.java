package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertStrictlyIncreasing;
import static dev.parley.server.it.ItSupport.awaitAck;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading is disconnected once it holds more than {@code --max-outbound-bytes}
 * of unsent messages, while a client that reads gets everything; the dropped one resumes with since.
 */
class SlowConsumerIT {
    private static final int WINDOW = 50;
    private static final int MAX_WINDOWS = 80;
    private static final String TEXT = "f".repeat(2000);

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(SlowConsumerIT.class).servers("slow-it")
            .arg("--rate-limit", "0", "--max-outbound-bytes", "65536").build();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void aClientThatStopsReadingIsDisconnectedWhileOthersGetEverything() throws Exception {
        String slow = user("slow");
        String reader = user("reader");
        String flooder = user("flood");
        List<Long> acked = new ArrayList<>();
        try (Socket stalled = new Socket();
             TestConnection normal = login(server, reader);
             TestConnection flood = login(server, flooder)) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            stalled.getOutputStream().write(FrameCodec.encode(new ClientFrame.Hello(slow, PASSWORD, null, 0, null)));
            stalled.getOutputStream().flush();
            await().atMost(WAIT).untilAsserted(() -> {
                flood.send(new ClientFrame.Who());
                assertThat(flood.expect(ServerFrame.WhoList.class).users()).contains(slow);
            });

            List<Long> got = new ArrayList<>();
            double before = ItSupport.metric(server.get("/metrics").body(), "parley_slow_consumer_disconnects_total", null);
            int windowsAfterDisconnect = -1;
            for (int w = 0; w < MAX_WINDOWS && windowsAfterDisconnect < 2; w++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < WINDOW; i++) {
                    out.writeBytes(FrameCodec.encode(new ClientFrame.Send("*", TEXT, "f-" + w + "-" + i)));
                }
                flood.sendRaw(out.toByteArray());
                for (int i = 0; i < WINDOW; i++) {
                    acked.add(awaitAck(flood, "f-" + w + "-" + i).id());
                }
                // paced by the reading client: it is never more than one window behind, while the
                // stalled one falls further behind with every window
                got.addAll(normal.awaitMsgIds(acked.size() - got.size(), WAIT));
                if (windowsAfterDisconnect >= 0) {
                    windowsAfterDisconnect++;
                } else if (ItSupport.metric(server.get("/metrics").body(),
                        "parley_slow_consumer_disconnects_total", null) > before) {
                    windowsAfterDisconnect = 0;
                }
            }
            assertThat(windowsAfterDisconnect).as("the stalled client was disconnected within "
                    + MAX_WINDOWS * WINDOW + " messages of " + TEXT.length() + " bytes").isGreaterThanOrEqualTo(0);
            assertThat(server.logText()).contains("Disconnecting " + slow);
            System.out.printf("slow consumer dropped; %d broadcasts of %d bytes sent in all%n", acked.size(), TEXT.length());

            // the reading client got every message, in order, while the other one stalled
            assertStrictlyIncreasing(got, "msgs of the reading client");
            assertThat(got).isEqualTo(acked);

            // the stalled socket was closed by the server: reading it to the end finds the end
            assertThat(readToEnd(stalled, Duration.ofSeconds(15))).as("server closed the stalled connection").isTrue();
        }
        // it comes back with since and gets everything it missed
        try (TestConnection back = ItSupport.resume(server, slow, 0L)) {
            List<Long> got = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 100_000 && System.nanoTime() < end; i++) {
                ServerFrame f = back.next(Duration.ofSeconds(1));
                if (f == null) {
                    break;
                }
                got.add(((ServerFrame.Msg) f).message().id());
            }
            assertStrictlyIncreasing(got, "msgs after since");
            // every broadcast of this (fresh) store, including those it missed while stalled
            assertThat(got).isEqualTo(acked);
        }
    }

    @Test
    void aClientThatSendsWithoutReadingIsPushedBackInsteadOfBuffered() throws Exception {
        // 64 MiB of pings is about 4 million pongs: buffered, they exhaust the server's heap
        long limit = 64L << 20;
        byte[] pings = "{\"type\":\"ping\"}\n".repeat(4096).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        try (Socket pinger = new Socket();
             TestConnection bystander = login(server, user("bystander"))) {
            pinger.setReceiveBufferSize(4096);
            pinger.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            pinger.getOutputStream().write(FrameCodec.encode(new ClientFrame.Hello(user("pinger"), PASSWORD, null, 0, null)));
            Thread writer = new Thread(() -> {
                try {
                    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (sent.get() < limit && System.nanoTime() < end) {
                        pinger.getOutputStream().write(pings);
                        sent.addAndGet(pings.length);
                    }
                } catch (IOException e) {
                    // the socket is closed at the end of the test, unblocking a write
                }
            }, "ping-writer");
            writer.setDaemon(true);
            writer.start();
            // wait until the writer is blocked (no progress for 2 s) or has sent everything
            long[] last = {-1, System.nanoTime()};
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(250)).until(() -> {
                long now = sent.get();
                if (now != last[0]) {
                    last[0] = now;
                    last[1] = System.nanoTime();
                    return now >= limit;
                }
                return System.nanoTime() - last[1] > Duration.ofSeconds(2).toNanos();
            });
            System.out.printf("a client that never reads got %d MiB of pings in before the server pushed back%n",
                    sent.get() >> 20);
            assertThat(sent.get()).as("the server stopped reading a client that does not read its pongs")
                    .isLessThan(limit / 4);
            // and everyone else is served as usual
            ItSupport.assertUsable(bystander);
            ItSupport.sendAcked(bystander, "*", "still fine");
            assertThat(server.httpStatus("/healthz")).isEqualTo(200);
        }
    }

    /** Reads until end of stream or a reset (true), or until {@code timeout} passes (false). */
    private static boolean readToEnd(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout(500);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (in.read(buf) == -1) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open and quiet: keep waiting until the deadline
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }
}
