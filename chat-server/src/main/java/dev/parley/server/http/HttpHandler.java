package dev.parley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.Protocol;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.store.MessageWriter;
import dev.parley.server.store.MessageWriter.Outcome;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoreHealth;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: {@code /healthz} (the process is alive), {@code /readyz} (Redis answers and the
 * server is not draining), {@code /metrics} (Prometheus text) and {@code POST /admin/broadcast}
 * (an announcement from {@code server}, behind a bearer token).
 */
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ADMIN_ORIGIN = "admin";

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final StoreHealth health;
    private final MessageWriter writer;
    private final InboundGate gate;
    private final BooleanSupplier draining;

    /** @param gate in front of this handler: shut while an answer is prepared elsewhere, to keep responses in order */
    public HttpHandler(ServerConfig config, ServerMetrics metrics, StoreHealth health, MessageWriter writer,
                       InboundGate gate, BooleanSupplier draining) {
        this.config = config;
        this.metrics = metrics;
        this.health = health;
        this.writer = writer;
        this.gate = gate;
        this.draining = draining;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            return;
        }
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        boolean get = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        switch (path) {
            case "/healthz" -> {
                if (get) {
                    respond(ctx, request, HttpResponseStatus.OK, "text/plain", "ok\n");
                } else {
                    methodNotAllowed(ctx, request, "GET");
                }
            }
            case "/readyz" -> {
                if (!get) {
                    methodNotAllowed(ctx, request, "GET");
                } else if (draining.getAsBoolean()) {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "draining\n");
                } else if (!health.isUp()) {
                    respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "redis unreachable\n");
                } else {
                    respond(ctx, request, HttpResponseStatus.OK, "text/plain", "ready\n");
                }
            }
            case "/metrics" -> {
                if (get) {
                    respond(ctx, request, HttpResponseStatus.OK, PROMETHEUS_TEXT, metrics.scrape());
                } else {
                    methodNotAllowed(ctx, request, "GET");
                }
            }
            case "/admin/broadcast" -> {
                if (HttpMethod.POST.equals(request.method())) {
                    adminBroadcast(ctx, request);
                } else {
                    methodNotAllowed(ctx, request, "POST");
                }
            }
            default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", "not found\n");
        }
    }

    private void adminBroadcast(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!config.adminEnabled()) {
            json(ctx, request, HttpResponseStatus.NOT_FOUND, "admin endpoint disabled: start the server with --admin-token");
            return;
        }
        if (!authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED, "application/json",
                    error("missing or wrong bearer token"));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            send(ctx, request, response);
            return;
        }
        String text;
        try {
            JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            JsonNode t = body == null ? null : body.get("text");
            if (t == null || !t.isTextual()) {
                json(ctx, request, HttpResponseStatus.BAD_REQUEST, "body must be {\"text\": \"...\"}");
                return;
            }
            text = t.textValue();
        } catch (IOException e) {
            json(ctx, request, HttpResponseStatus.BAD_REQUEST, "body is not JSON");
            return;
        }
        int length = Protocol.textLength(text);
        if (length < 1 || length > Protocol.MAX_TEXT_CHARS) {
            json(ctx, request, HttpResponseStatus.BAD_REQUEST, "text must be 1 to " + Protocol.MAX_TEXT_CHARS + " characters");
            return;
        }
        if (!health.isUp() || draining.getAsBoolean()) {
            json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "message store unreachable; not sent");
            return;
        }
        EventLoop loop = ctx.channel().eventLoop();
        // a pipelined request behind this one waits, so that the responses leave in order
        gate.shut(InboundGate.Wait.ANSWER);
        boolean queued = writer.submit(new NewMessage(Protocol.SERVER_USER, Protocol.BROADCAST, text, ADMIN_ORIGIN),
                loop, outcome -> {
                    if (outcome instanceof Outcome.Stored s) {
                        log.info("Admin announcement {} sent to everyone", s.id());
                        send(ctx, request, response(HttpResponseStatus.OK, "application/json",
                                "{\"id\":" + s.id() + ",\"ts\":" + s.ts() + "}\n"));
                    } else {
                        json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "message store unreachable; not sent");
                    }
                    gate.open(InboundGate.Wait.ANSWER);
                });
        if (!queued) {
            json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "server busy; not sent");
            gate.open(InboundGate.Wait.ANSWER);
        }
    }

    private boolean authorized(String header) {
        String prefix = "Bearer ";
        if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        byte[] given = header.substring(prefix.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, config.adminToken().getBytes(StandardCharsets.UTF_8));
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, FullHttpRequest request, String allow) {
        FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        send(ctx, request, response);
    }

    private void json(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String message) {
        send(ctx, request, response(status, "application/json", error(message)));
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString() + "\n";
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                         String contentType, String body) {
        send(ctx, request, response(status, contentType, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
