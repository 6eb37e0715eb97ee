package dev.parley.server.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.auth.Authenticator;
import dev.parley.server.auth.LoginRefusals;
import dev.parley.server.auth.PasswordHasher;
import dev.parley.server.auth.ResumeTokens;
import dev.parley.server.codec.ClientFrameDecoder;
import dev.parley.server.codec.ServerFrameEncoder;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.session.Presence;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.ChatStore;
import dev.parley.server.session.Fanout;
import dev.parley.server.store.LiveDelivery;
import dev.parley.server.store.MessageWriter;
import dev.parley.server.store.StoreHealth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.URI;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat pipeline before login, through {@link EmbeddedChannel}. The store points at a closed
 * loopback port: that is Redis being unreachable, for real, without a fake.
 */
class ChatPipelineTest {
    private static final int MAX_FRAME = 256;

    private final ServerConfig config = ServerConfig.defaults(6000, 8080, URI.create("redis://127.0.0.1:1"), "test");
    private final ServerMetrics metrics = new ServerMetrics();
    private final ChatStore store = new ChatStore(config, 2);
    private final StoreHealth health = new StoreHealth(store);
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final EmbeddedChannel channel;

    ChatPipelineTest() {
        ChatServices services = new ChatServices(config, metrics, new SessionRegistry(), store,
                new Authenticator(store, new PasswordHasher(1000)), new LoginRefusals(metrics),
                new ResumeTokens(store, Duration.ofHours(1)), new MessageWriter(store, health, metrics, 16, Duration.ZERO,
                        new LiveDelivery(new Fanout(new SessionRegistry()))),
                health, new Presence(store, health, "test", 15_000), executor, executor, () -> false);
        InboundGate gate = new InboundGate();
        channel = new EmbeddedChannel(new LineBasedFrameDecoder(MAX_FRAME, true, true), new ClientFrameDecoder(),
                new ServerFrameEncoder(), gate, new ChatHandler(services, gate));
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
        channel.finishAndReleaseAll();
        store.close();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private ServerFrame next() throws Exception {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).as("a reply frame").isNotNull();
        try {
            String line = buf.toString(StandardCharsets.UTF_8);
            assertThat(line).endsWith("\n");
            return FrameCodec.decodeServerFrame(line.strip().getBytes(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }

    private ErrorCode nextError() throws Exception {
        ServerFrame frame = next();
        assertThat(frame).isInstanceOf(ServerFrame.Error.class);
        return ((ServerFrame.Error) frame).code();
    }

    @Test
    void answersPingBeforeLogin() throws Exception {
        send("{\"type\":\"ping\"}\n");
        assertThat(next()).isInstanceOf(ServerFrame.Pong.class);
    }

    @Test
    void refusesEverythingButHelloAndPingBeforeLogin() throws Exception {
        send("{\"type\":\"send\",\"text\":\"hi\",\"ref\":\"r1\"}\n{\"type\":\"who\"}\n{\"type\":\"history\",\"with\":\"*\"}\n");
        ServerFrame first = next();
        assertThat(first).isEqualTo(new ServerFrame.Error(ErrorCode.NOT_AUTHENTICATED, "send hello first", "r1"));
        assertThat(nextError()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(nextError()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void badFramesGetAnErrorAndTheConnectionStaysUsable() throws Exception {
        send("nonsense\n[1]\n{\"type\":\"teleport\"}\n{\"type\":\"send\"}\n");
        assertThat(nextError()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(nextError()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(nextError()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(nextError()).isEqualTo(ErrorCode.BAD_FRAME);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'{', '"', (byte) 0xFF, '"', '}', '\n'}));
        assertThat(nextError()).isEqualTo(ErrorCode.BAD_FRAME);
        send("{\"type\":\"ping\"}\n");
        assertThat(next()).isInstanceOf(ServerFrame.Pong.class);
    }

    @Test
    void anOverlongLineIsTooLargeAndTheNextLineStillWorks() throws Exception {
        send("{\"type\":\"send\",\"text\":\"" + "x".repeat(MAX_FRAME * 2) + "\"}\n{\"type\":\"ping\"}\n");
        assertThat(nextError()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(next()).isInstanceOf(ServerFrame.Pong.class);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void blankLinesAreIgnored() throws Exception {
        send("\n  \r\n{\"type\":\"ping\"}\n");
        assertThat(next()).isInstanceOf(ServerFrame.Pong.class);
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void helloWhileRedisIsUnreachableIsUnavailableAndCanBeRetried() throws Exception {
        send("{\"type\":\"hello\",\"user\":\"alice\",\"password\":\"pw\"}\n");
        ByteBuf reply = null;
        for (int i = 0; i < 200 && reply == null; i++) {
            Thread.sleep(25);
            channel.runPendingTasks();
            reply = channel.readOutbound();
        }
        assertThat(reply).as("an answer to hello within 5 s").isNotNull();
        ServerFrame frame = FrameCodec.decodeServerFrame(reply.toString(StandardCharsets.UTF_8).strip()
                .getBytes(StandardCharsets.UTF_8));
        reply.release();
        assertThat(frame).isInstanceOf(ServerFrame.Error.class);
        assertThat(((ServerFrame.Error) frame).code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(channel.isActive()).isTrue();
        // not logged in: the next send is refused as such, not as "login in progress"
        send("{\"type\":\"send\",\"text\":\"hi\"}\n");
        assertThat(nextError()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
    }

    @Test
    void countsFramesAndErrorsInMetrics() throws Exception {
        send("{\"type\":\"ping\"}\nnonsense\n");
        next();
        next();
        String scrape = metrics.scrape();
        assertThat(scrape).contains("parley_frames_in_total{type=\"ping\"} 1.0");
        assertThat(scrape).contains("parley_errors_total{code=\"BAD_FRAME\"} 1.0");
    }
}
