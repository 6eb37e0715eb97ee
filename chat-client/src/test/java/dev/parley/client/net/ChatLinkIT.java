package dev.parley.client.net;

import dev.parley.cli.Backoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.FreePort;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The link and the login against a scripted server on loopback: exact frames, and bad servers. */
class ChatLinkIT {
    private static final String WELCOME = "{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n1\"}";
    private static final ClientFrame.Hello HELLO = new ClientFrame.Hello("alice", "pw", null, 5, null);

    private final ScriptedServer server = new ScriptedServer();
    private final Recorder recorder = new Recorder();

    ChatLinkIT() throws Exception {
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    private Connector connector() {
        return new Connector("127.0.0.1", server.port(), Duration.ofSeconds(5));
    }

    /** Opens {@code link} against the scripted server, answering its hello with welcome. */
    private ScriptedServer.Peer open(ChatLink link) throws Exception {
        return open(link, WELCOME, new ServerFrame.Welcome("alice", "n1"));
    }

    /** Opens {@code link}, answering its hello with the line {@code welcome}, which the link must read as {@code expected}. */
    private ScriptedServer.Peer open(ChatLink link, String welcome, ServerFrame.Welcome expected) throws Exception {
        CompletableFuture<Connected> opened = CompletableFuture.supplyAsync(() -> {
            try {
                return link.open(HELLO);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ScriptedServer.Peer peer = server.accept();
        assertThat(peer.expect(ClientFrame.Hello.class)).isEqualTo(HELLO.speaking(Protocol.VERSION));
        peer.send(welcome);
        assertThat(opened.get(10, TimeUnit.SECONDS).welcome()).isEqualTo(expected);
        link.start();
        return peer;
    }

    @Test
    void reconnectsWithTheWelcomesResumeTokenAndWithThePasswordWhenTheTokenIsRefused() throws Exception {
        ClientFrame.Hello resume = new ClientFrame.Hello("alice", "pw", null, null, 0L);
        ChatLink link = new ChatLink(connector(), () -> resume, recorder,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), Duration.ofSeconds(30));
        ScriptedServer.Peer first = open(link,
                "{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n1\",\"last\":3,\"token\":\"t-one\"}",
                new ServerFrame.Welcome("alice", "n1", 3L, "t-one"));
        first.close();
        assertThat(recorder.next()).startsWith("lost ");

        // the token in place of the password
        ScriptedServer.Peer second = server.accept();
        ClientFrame.Hello withToken = second.expect(ClientFrame.Hello.class);
        assertThat(withToken.token()).isEqualTo("t-one");
        assertThat(withToken.password()).isNull();
        second.send("{\"type\":\"welcome\",\"user\":\"alice\",\"node\":\"n1\",\"last\":4,\"token\":\"t-two\"}");
        assertThat(recorder.next()).isEqualTo("reconnected n1");
        second.close();
        assertThat(recorder.next()).startsWith("lost ");

        // refused (expired, say): the same reconnection goes on with the password
        ScriptedServer.Peer third = server.accept();
        assertThat(third.expect(ClientFrame.Hello.class).token()).isEqualTo("t-two");
        third.send("{\"type\":\"error\",\"code\":\"AUTH_FAILED\",\"message\":\"resume token unknown\"}");
        ScriptedServer.Peer fourth = server.accept();
        assertThat(fourth.expect(ClientFrame.Hello.class)).isEqualTo(resume.speaking(Protocol.VERSION));
        fourth.send(WELCOME);
        assertThat(recorder.next()).isEqualTo("reconnected n1");
        link.close();
    }

    @Test
    void reconnectsWithTheHelloBuiltAtThatMoment() throws Exception {
        long[] since = {0};
        ChatLink link = new ChatLink(connector(), () -> new ClientFrame.Hello("alice", "pw", null, null, since[0]),
                recorder, new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), Duration.ofSeconds(30));
        ScriptedServer.Peer first = open(link);
        first.send("{\"type\":\"msg\",\"id\":41,\"from\":\"bob\",\"to\":\"*\",\"text\":\"hi\",\"ts\":1}");
        assertThat(recorder.next()).isEqualTo("frame msg 41");
        since[0] = 41;
        first.close();
        assertThat(recorder.next()).startsWith("lost the server closed the connection");

        ScriptedServer.Peer second = server.accept();
        assertThat(second.expect(ClientFrame.Hello.class)).isEqualTo(new ClientFrame.Hello("alice", "pw", null, null, 41L).speaking(Protocol.VERSION));
        second.send(WELCOME);
        assertThat(recorder.next()).isEqualTo("reconnected n1");
        assertThat(link.send(new ClientFrame.Who())).isTrue();
        second.expect(ClientFrame.Who.class);

        link.close();
        second.expect(ClientFrame.Bye.class);
        assertThat(second.awaitClientClosed()).isTrue();
        assertThat(recorder.next()).isEqualTo("ended CLOSED");
    }

    @Test
    void retriesWhileTheServerIsAwayAndStopsWhenClosed() throws Exception {
        ChatLink link = new ChatLink(connector(), () -> HELLO, recorder,
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(100)), Duration.ofSeconds(30));
        ScriptedServer.Peer first = open(link);
        first.close();
        assertThat(recorder.next()).startsWith("lost");
        // the second attempt is answered with UNAVAILABLE: worth another try, not a refusal
        ScriptedServer.Peer second = server.accept();
        second.expect(ClientFrame.Hello.class);
        second.send("{\"type\":\"error\",\"code\":\"UNAVAILABLE\",\"message\":\"store down\"}");
        assertThat(recorder.next()).startsWith("retry failed server at 127.0.0.1:" + server.port()
                + " cannot log you in right now: store down");
        ScriptedServer.Peer third = server.accept();
        third.expect(ClientFrame.Hello.class);
        third.send("{\"type\":\"error\",\"code\":\"AUTH_FAILED\",\"message\":\"wrong password\"}");
        assertThat(recorder.next()).isEqualTo("ended REFUSED wrong password");
        link.close();
    }

    @Test
    void aSilentServerIsPingedThenGivenUpOn() throws Exception {
        ChatLink link = new ChatLink(connector(), () -> HELLO, recorder, null, Duration.ofMillis(300));
        ScriptedServer.Peer peer = open(link);
        peer.expect(ClientFrame.Ping.class);
        assertThat(recorder.next()).isEqualTo("ended LOST no answer from the server for 600 ms");
        assertThat(peer.awaitClientClosed()).isTrue();
    }

    @Test
    void aPongKeepsTheConnectionAndIsNotPassedOn() throws Exception {
        ChatLink link = new ChatLink(connector(), () -> HELLO, recorder, null, Duration.ofMillis(300));
        ScriptedServer.Peer peer = open(link);
        peer.expect(ClientFrame.Ping.class);
        peer.send("{\"type\":\"pong\"}");
        peer.expect(ClientFrame.Ping.class);
        peer.send("{\"type\":\"pong\"}");
        peer.send("{\"type\":\"who\",\"users\":[\"alice\"]}");
        assertThat(recorder.next()).isEqualTo("frame who");
        link.close();
    }

    @Test
    void aBadLineIsReportedAndTheLinkGoesOn() throws Exception {
        ChatLink link = new ChatLink(connector(), () -> HELLO, recorder, null, Duration.ofSeconds(30));
        ScriptedServer.Peer peer = open(link);
        peer.send("this is not json");
        peer.send("{\"type\":\"future-frame\"}");
        peer.send("{\"type\":\"msg\",\"id\":3,\"from\":\"bob\",\"to\":\"alice\",\"text\":\"still here\",\"ts\":1}");
        assertThat(recorder.next()).startsWith("bad BAD_FRAME frame is not valid JSON");
        assertThat(recorder.next()).isEqualTo("bad UNKNOWN_TYPE unknown frame type: future-frame");
        assertThat(recorder.next()).isEqualTo("frame msg 3");
        link.close();
    }

    @Test
    void anUnknownRecipientInHelloLogsInWithoutIt() throws Exception {
        CompletableFuture<Connected> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return connector().connect(new ClientFrame.Hello("alice", "pw", "ghost", 20, null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ScriptedServer.Peer peer = server.accept();
        assertThat(peer.expect(ClientFrame.Hello.class).to()).isEqualTo("ghost");
        peer.send("{\"type\":\"error\",\"code\":\"NO_SUCH_USER\",\"message\":\"no such user: ghost\"}");
        assertThat(peer.expect(ClientFrame.Hello.class)).isEqualTo(new ClientFrame.Hello("alice", "pw", null, 0, null).speaking(Protocol.VERSION));
        peer.send(WELCOME);
        Connected connected = connecting.get(10, TimeUnit.SECONDS);
        assertThat(connected.recipientUnknown()).isTrue();
        connected.connection().close();
    }

    @Test
    void loginFailuresAreSortedIntoRefusedAndTransient() throws Exception {
        assertThat(loginAnswer("{\"type\":\"error\",\"code\":\"AUTH_FAILED\",\"message\":\"wrong password\"}"))
                .isInstanceOf(LoginRefusedException.class).hasMessage("wrong password");
        assertThat(loginAnswer("{\"type\":\"error\",\"code\":\"INVALID\",\"message\":\"history must be 0 to 1000\"}"))
                .isInstanceOf(LoginRefusedException.class);
        assertThat(loginAnswer("{\"type\":\"bye\"}")).isInstanceOf(java.io.IOException.class)
                .hasMessageEndingWith("is shutting down");
        assertThat(loginAnswer("{\"type\":\"msg\",\"id\":1,\"from\":\"b\",\"to\":\"*\",\"text\":\"x\",\"ts\":1}"))
                .hasMessageContaining("sent 'msg' before welcome");
        assertThat(loginAnswer(null)).hasMessageEndingWith("closed the connection during login");
    }

    @Test
    void aServerThatNeverAnswersHelloTimesOut() throws Exception {
        Connector impatient = new Connector("127.0.0.1", server.port(), Duration.ofMillis(300));
        CompletableFuture<Connected> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return impatient.connect(HELLO);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.accept().expect(ClientFrame.Hello.class);
        assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("127.0.0.1:" + server.port()
                        + " accepted the connection but did not answer the login within 300 ms");
    }

    @Test
    void aClosedPortIsUnreachable() throws Exception {
        int port = FreePort.pick();
        assertThatThrownBy(() -> new Connector("127.0.0.1", port, Duration.ofSeconds(2)).connect(HELLO))
                .isInstanceOf(UnreachableException.class)
                .hasMessage("cannot reach 127.0.0.1:" + port + ": connection refused");
    }

    /** What connect() throws when the server answers hello with {@code line} (null: closes instead). */
    private Throwable loginAnswer(String line) throws Exception {
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                connector().connect(HELLO).connection().close();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        ScriptedServer.Peer peer = server.accept();
        peer.expect(ClientFrame.Hello.class);
        if (line == null) {
            peer.close();
        } else {
            peer.send(line);
        }
        Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
        assertThat(thrown).as("connect() outcome for " + line).isNotNull();
        peer.close();
        return thrown;
    }

    /** Everything the link reports, as short strings, in order. */
    static final class Recorder implements LinkListener {
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("the link reported nothing within 10s");
            }
            return event;
        }

        @Override
        public void onFrame(ServerFrame frame) {
            events.add("frame " + frame.type() + (frame instanceof ServerFrame.Msg m ? " " + m.message().id() : ""));
        }

        @Override
        public void onBadFrame(ProtocolException e) {
            events.add("bad " + e.code() + " " + e.getMessage());
        }

        @Override
        public void onConnectionLost(String reason, Duration retryIn) {
            events.add("lost " + reason);
        }

        @Override
        public void onRetryFailed(String reason, Duration retryIn) {
            events.add("retry failed " + reason);
        }

        @Override
        public void onReconnected(ServerFrame.Welcome welcome) {
            events.add("reconnected " + welcome.node());
        }

        @Override
        public void onEnded(LinkEnd end) {
            events.add("ended " + end.kind() + (end.kind() == LinkEnd.Kind.CLOSED || end.reason() == null ? "" : " " + end.reason()));
        }
    }

}
