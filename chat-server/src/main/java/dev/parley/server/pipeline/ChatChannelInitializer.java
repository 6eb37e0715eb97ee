package dev.parley.server.pipeline;

import dev.parley.server.codec.ClientFrameDecoder;
import dev.parley.server.codec.ServerFrameEncoder;
import dev.parley.server.handler.ChatHandler;
import dev.parley.server.handler.ChatServices;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetAddress;

/**
 * The chat connection's pipeline, inbound top to bottom (a connection over the connection caps
 * gets only an error saying so):
 * <ol>
 *   <li>the guard: login and idle timeouts;</li>
 *   <li>flush consolidation: many acks and messages per syscall under load;</li>
 *   <li>line framing, failing fast on a line over the frame limit (TOO_LARGE, the rest of the
 *       line is dropped and the connection stays usable);</li>
 *   <li>JSON to {@code ClientFrame} (or the error that explains why not);</li>
 *   <li>{@code ServerFrame} to JSON, for what the handler writes;</li>
 *   <li>the gate: requests pass one after the other while their answers can leave
 *       ({@link InboundGate});</li>
 *   <li>the protocol handler.</li>
 * </ol>
 */
public final class ChatChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final ServerFrameEncoder ENCODER = new ServerFrameEncoder();

    private final ChatServices services;
    private final ChannelGroup channels;
    private final ConnectionAdmission admission;

    public ChatChannelInitializer(ChatServices services, ChannelGroup channels, ConnectionAdmission admission) {
        this.services = services;
        this.channels = channels;
        this.admission = admission;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        InetAddress address = ch.remoteAddress().getAddress();
        String refused = admission.admit(address);
        if (refused != null) {
            services.metrics().connectionRefused();
            ch.pipeline().addLast("refused", new RefusedConnection(refused));
            return;
        }
        ch.closeFuture().addListener(f -> admission.release(address));
        int maxOutbound = services.config().maxOutboundBytes();
        // the socket buffer counts toward the bound the slow-consumer check enforces
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxOutbound / 2, maxOutbound));
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        var limits = services.config().limits();
        p.addLast("guard", new ConnectionGuard(limits.loginTimeout(), limits.idleTimeout()));
        p.addLast("flush", new FlushConsolidationHandler(256, true));
        p.addLast("lines", new LineBasedFrameDecoder(services.config().maxFrameBytes(), true, true));
        p.addLast("decoder", new ClientFrameDecoder());
        p.addLast("encoder", ENCODER);
        InboundGate gate = new InboundGate();
        p.addLast("gate", gate);
        p.addLast("chat", new ChatHandler(services, gate));
    }
}
