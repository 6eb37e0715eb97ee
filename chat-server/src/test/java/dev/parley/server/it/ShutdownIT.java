package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SIGTERM: readiness off, clients told bye and disconnected, new connections refused, exit 0 in the grace period. */
class ShutdownIT {
    private static final Duration GRACE = Duration.ofSeconds(5);

    /** Fresh for each test, since each one stops the server. */
    @RegisterExtension
    final ParleyCluster cluster = ParleyCluster.builder(ShutdownIT.class).servers("shutdown-it")
            .arg("--rate-limit", "0", "--shutdown-grace", GRACE.toSeconds() + "s").build();
    private final ChatServerProcess server = cluster.server();
    private final RedisServer redis = cluster.redis();

    private record Sample(long nanos, int status) {
    }

    @Test
    void sigtermTellsClientsByeRefusesNewConnectionsAndExitsZero() throws Exception {
        List<Sample> readiness = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean polling = new AtomicBoolean(true);
        try (TestConnection a = login(server, user("sd-a"));
             TestConnection b = login(server, user("sd-b"));
             TestConnection anonymous = server.connect()) {
            ItSupport.assertUsable(anonymous);
            // /readyz polled as fast as it answers, to see it turn before the clients are told
            Thread poller = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (polling.get() && System.nanoTime() < end) {
                    readiness.add(new Sample(System.nanoTime(), server.httpStatus("/readyz")));
                }
            }, "readyz-poller");
            poller.start();
            long started = System.nanoTime();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));

            long firstBye = Long.MAX_VALUE;
            for (TestConnection c : List.of(a, b, anonymous)) {
                c.expect(ServerFrame.Bye.class, WAIT);
                firstBye = Math.min(firstBye, System.nanoTime());
                assertThat(c.awaitClosed(WAIT)).as("disconnected after bye").isTrue();
            }
            // the listener closed before anyone was told
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
                }
            }).isInstanceOf(IOException.class);

            int code = exit.get(30, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            polling.set(false);
            poller.join(5000);
            assertThat(code).as("exit code after SIGTERM").isZero();
            assertThat(tookMillis).as("exit within the grace period (plus JVM exit)")
                    .isLessThan(GRACE.toMillis() + 2000);
            long byeAt = firstBye;
            List<Sample> afterBye = readiness.stream().filter(s -> s.nanos() > byeAt).toList();
            assertThat(afterBye).as("/readyz never says ready once clients are being told to go")
                    .noneMatch(s -> s.status() == 200);
            long draining = readiness.stream().filter(s -> s.status() == 503).count();
            System.out.printf("readyz samples: %d, of which 503 (draining): %d; exit after %d ms%n",
                    readiness.size(), draining, tookMillis);
            assertThat(draining).as("/readyz answered 503 while the server drained").isPositive();
            assertThat(server.logText()).contains("Shutting down", "Shutdown complete");
        } finally {
            polling.set(false);
        }
    }

    @Test
    void sigtermWhileRedisIsDownStillExitsZeroWithinTheGracePeriod() throws Exception {
        try (TestConnection a = login(server, user("sd-down"))) {
            redis.kill();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.httpStatus("/readyz") == 503);
            a.send(new ClientFrame.Send("*", "into the void", "void"));
            assertThat(a.expect(ServerFrame.Error.class).code()).isEqualTo(dev.parley.protocol.ErrorCode.UNAVAILABLE);
            long started = System.nanoTime();
            int code = server.stop(Duration.ofSeconds(30));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(code).isZero();
            assertThat(tookMillis).isLessThan(GRACE.toMillis() + 2000);
            a.expect(ServerFrame.Bye.class);
            assertThat(a.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void whatWasAckedBeforeSigtermIsStored() throws Exception {
        String alice = user("sd-ack");
        List<Long> acked = new ArrayList<>();
        try (TestConnection a = login(server, alice)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 300; i++) {
                out.writeBytes(FrameCodec.encode(new ClientFrame.Send("*", "in flight " + i, "if-" + i)));
            }
            a.sendRaw(out.toByteArray());
            // SIGTERM lands once the first ack is back, with the rest of the sends in flight
            ServerFrame.Ack first = a.expect(ServerFrame.Ack.class);
            assertThat(first.ref()).isEqualTo("if-0");
            acked.add(first.id());
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
            // every frame up to bye is an ack or an UNAVAILABLE error, in send order
            int next = 1;
            for (int i = 0; i < 1000; i++) {
                ServerFrame f = a.next(WAIT);
                if (f instanceof ServerFrame.Bye || f == null) {
                    break;
                }
                if (f instanceof ServerFrame.Ack ack) {
                    assertThat(Integer.parseInt(ack.ref().substring(3))).isGreaterThanOrEqualTo(next);
                    next = Integer.parseInt(ack.ref().substring(3)) + 1;
                    acked.add(ack.id());
                } else {
                    assertThat(f).isInstanceOf(ServerFrame.Error.class);
                    assertThat(((ServerFrame.Error) f).code()).isEqualTo(dev.parley.protocol.ErrorCode.UNAVAILABLE);
                }
            }
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        }
        server.start();
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, null, 1000, null));
            a.expect(ServerFrame.Welcome.class);
            List<Long> stored = ids(a.expect(ServerFrame.History.class).messages());
            assertThat(stored).containsAll(acked);
            System.out.printf("acked before shutdown: %d, stored: %d%n", acked.size(), stored.size());
        }
    }
}
