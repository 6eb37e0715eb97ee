package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.awaitAck;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that asks for much and reads nothing holds at most about {@code --max-outbound-bytes}
 * plus one answer of the server's memory, on the chat port and on the HTTP port; what it asked
 * for is still answered, in order, once it reads. The figure is the server's own gauge of bytes
 * written to connections and not yet taken by their clients.
 */
class OutboundBoundIT {
    private static final String BUFFERED = "parley_outbound_buffered_bytes";
    /** A history page of this many 4,000-character texts is about 1 MB of JSON. */
    private static final int PAGE = 250;
    private static final int REQUESTS = 40;
    private static final long PAGE_BYTES = PAGE * 4_050L;
    /** The default --max-outbound-bytes. */
    private static final long MAX_OUTBOUND = 1 << 20;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(OutboundBoundIT.class).servers("bound-it")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void historyRequestsFromAClientThatDoesNotReadAreAnsweredOneAtATimeAsItReads() throws Exception {
        String filler = user("filler");
        try (TestConnection c = login(server, filler)) {
            List<String> refs = new ArrayList<>();
            for (int i = 0; i < PAGE; i++) {
                String ref = ref();
                refs.add(ref);
                c.send(new ClientFrame.Send("*", Character.toString('a' + i % 26).repeat(4000), ref));
            }
            for (String ref : refs) {
                awaitAck(c, ref);
            }
        }

        String greedy = user("greedy");
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < REQUESTS; i++) {
            burst.writeBytes(FrameCodec.encode(new ClientFrame.HistoryRequest("*", null, PAGE)));
        }
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout((int) WAIT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            out.write(FrameCodec.encode(new ClientFrame.Hello(greedy, PASSWORD, null, 0, null)));
            out.flush();
            assertThat(next(in)).isInstanceOf(ServerFrame.Welcome.class);
            assertThat(next(in)).isEqualTo(new ServerFrame.History("*", List.of()));
            // every request in one write, and then nothing read
            out.write(burst.toByteArray());
            out.flush();

            long peak = peakBuffered();
            System.out.printf("chat: %d history requests of %d texts, not read: server holds at most %,d bytes%n",
                    REQUESTS, PAGE, peak);
            assertThat(peak).as("bytes held for a client that does not read (unbounded: about %,d)",
                    REQUESTS * PAGE_BYTES).isLessThan(MAX_OUTBOUND + 2 * PAGE_BYTES);

            // everyone else is served meanwhile
            try (TestConnection other = login(server, user("other"))) {
                sendAcked(other, "*", "still here");
            }

            // and nothing the greedy client asked for is lost: it gets every answer once it reads
            int pages = 0;
            for (int i = 0; i < REQUESTS + 1 && pages < REQUESTS; i++) {
                if (next(in) instanceof ServerFrame.History h) {
                    assertThat(h.messages()).hasSize(PAGE);
                    pages++;
                }
            }
            assertThat(pages).isEqualTo(REQUESTS);
        }
    }

    @Test
    void pipelinedHttpRequestsThatAreNotReadStopBeingRead() throws Exception {
        int count = 5000;
        long responseBytes = server.get("/metrics").body().length();
        try (Socket socket = httpSocket()) {
            // the server stops reading, so these writes block: they run beside the test
            Thread writer = new Thread(() -> pipeline(socket, count), "pipelining-writer");
            writer.setDaemon(true);
            writer.start();

            long peak = peakBuffered();
            System.out.printf("http: %d pipelined GET /metrics, not read: server holds at most %,d bytes%n", count, peak);
            assertThat(peak).as("bytes held for an HTTP client that does not read (unbounded: about %,d)",
                    count * responseBytes).isLessThan(MAX_OUTBOUND);
            assertThat(server.httpStatus("/healthz")).isEqualTo(200);
        }
    }

    @Test
    void pipelinedHttpRequestsAreAnsweredInOrderOnceTheClientReads() throws Exception {
        // within the HTTP codec's limit of 128 requests waiting for their responses
        int count = 100;
        try (Socket socket = httpSocket()) {
            pipeline(socket, count);
            Thread.sleep(500);
            socket.setSoTimeout((int) WAIT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            int responses = 0;
            String line;
            for (long lines = 0; lines < 10_000_000 && responses < count && (line = in.readLine()) != null; lines++) {
                if (line.startsWith("HTTP/1.1 ")) {
                    assertThat(line).isEqualTo("HTTP/1.1 200 OK");
                    responses++;
                }
            }
            assertThat(responses).isEqualTo(count);
        }
    }

    private static Socket httpSocket() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", server.httpPort()), 5000);
        return socket;
    }

    /** Writes {@code count} GET /metrics requests; returns early when the socket is closed. */
    private static void pipeline(Socket socket, int count) {
        byte[] request = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < count; i++) {
                out.write(request);
            }
            out.flush();
        } catch (IOException e) {
            // closed by the test, or by the server (more than 128 requests waiting for their responses)
        }
    }

    private static ServerFrame next(BufferedReader in) throws Exception {
        String line = in.readLine();
        assertThat(line).as("a frame").isNotNull();
        return FrameCodec.decodeServerFrame(line.getBytes(StandardCharsets.UTF_8));
    }

    /** The most the server held for its clients, sampled for 3 s (every 100 ms). */
    private static long peakBuffered() throws InterruptedException {
        long peak = 0;
        for (int i = 0; i < 30; i++) {
            Thread.sleep(100);
            peak = Math.max(peak, (long) ItSupport.metric(server.get("/metrics").body(), BUFFERED, null));
        }
        return peak;
    }
}
