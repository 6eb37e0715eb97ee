package dev.parley.server.handler;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.auth.Authenticator;
import dev.parley.server.pipeline.ConnectionGuard;
import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.session.Session;
import dev.parley.server.store.MessageWriter.Outcome;
import dev.parley.server.store.NewMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol v1 for one connection: what each frame means and what is answered (login, sends,
 * history pages, who, ping, bye). Runs on the channel's event loop. Blocking work goes through
 * {@link StoreCalls} (one answer at a time per connection) and sends still waiting for the
 * store are counted by {@link OwedReplies}; both hold requests back in the {@link InboundGate}
 * in front of this handler, which also holds them while the client does not read its answers.
 */
public final class ChatHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ChatHandler.class);
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    private enum State { NEW, LOGGING_IN, READY }

    private final ChatServices services;
    private final InboundGate gate;
    private final RateLimiter limiter;
    private final String origin;
    private ChannelHandlerContext ctx;
    private StoreCalls calls;
    private OwedReplies owed;
    private State state = State.NEW;
    private Session session;
    /** The last hello said version 1.1 or later: the 1.1 fields may be sent. */
    private boolean speaksV11;
    /** The resume token this session's welcome gave; revoked when the session says bye. */
    private String issuedToken;

    public ChatHandler(ChatServices services, InboundGate gate) {
        this.services = services;
        this.gate = gate;
        this.limiter = new RateLimiter(services.config().rateLimit(), System.nanoTime());
        this.origin = services.presence().instance() + "/" + CONNECTIONS.incrementAndGet();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.calls = new StoreCalls(ctx.channel(), gate, services.health());
        this.owed = new OwedReplies(gate, ctx::close);
        services.metrics().connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        services.metrics().connectionClosed();
        if (session != null) {
            services.registry().remove(session);
            services.presence().leave(session.user());
            services.metrics().sessionEnded();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && ctx.channel().isWritable()) {
            session.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ProtocolException e) {
            services.metrics().frameIn("unknown");
            reply(e.toFrame());
            return;
        }
        ClientFrame frame = (ClientFrame) msg;
        services.metrics().frameIn(frame.type());
        if (owed.closing()) {
            return;
        }
        if (frame instanceof ClientFrame.Ping) {
            write(new ServerFrame.Pong());
        } else if (frame instanceof ClientFrame.Hello hello) {
            // Hellos count too: each may register an account or pay a password hash.
            if (limiter.tryAcquire(System.nanoTime())) {
                onHello(hello);
            } else {
                reply(rateLimited("this hello was dropped", null));
            }
        } else if (state != State.READY) {
            reply(error(ErrorCode.NOT_AUTHENTICATED, "send hello first", refOf(frame)));
        } else if (frame instanceof ClientFrame.Bye) {
            onBye();
        } else if (frame instanceof ClientFrame.Read read) {
            // never answered, not even refused: a dropped read only leaves a count too high
            if (limiter.tryAcquire(System.nanoTime())) {
                onRead(read);
            }
        } else if (!limiter.tryAcquire(System.nanoTime())) {
            reply(rateLimited("this one was dropped", refOf(frame)));
        } else if (frame instanceof ClientFrame.Send send) {
            onSend(send);
        } else if (frame instanceof ClientFrame.HistoryRequest request) {
            onHistory(request);
        } else if (frame instanceof ClientFrame.Who) {
            onWho();
        } else if (frame instanceof ClientFrame.UnreadRequest) {
            onUnread();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // the decoder drops the rest of the line, so the connection stays usable
            services.metrics().frameIn("unknown");
            reply(error(ErrorCode.TOO_LARGE, "line longer than " + services.config().maxFrameBytes() + " bytes", null));
        } else if (cause instanceof IOException) {
            log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        } else {
            log.warn("Closing connection {} after an unexpected error", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    // ------------------------------------------------------------------ hello

    private void onHello(ClientFrame.Hello hello) {
        if (state != State.NEW) {
            reply(error(ErrorCode.INVALID, state == State.READY ? "already logged in" : "login already in progress", null));
            return;
        }
        if (services.draining().getAsBoolean()) {
            reply(error(ErrorCode.UNAVAILABLE, "server is shutting down", null));
            return;
        }
        state = State.LOGGING_IN;
        speaksV11 = Protocol.speaksCatchUpEnd(hello.version());
        // a resume pays no password hash: it does not queue behind the ones that do
        ExecutorService executor = hello.token() != null ? services.queries() : services.auth();
        calls.answer(executor, () -> login(hello), this::afterLogin, this::abandonLogin, e -> {
            state = State.NEW;
            reply(error(ErrorCode.UNAVAILABLE, e + "; send hello again in a moment", null));
        });
    }

    /**
     * @param last  the service's newest message id at the login, for the welcome
     * @param token the resume token for the welcome (v1.1), or null
     */
    private record LoginResult(ClientFrame.Hello hello, Authenticator.Result result, boolean recipientKnown, long last,
                               String token) {
        boolean succeeded() {
            return recipientKnown && (result.outcome() == Authenticator.Outcome.ACCEPTED
                    || result.outcome() == Authenticator.Outcome.REGISTERED);
        }
    }

    private LoginResult login(ClientFrame.Hello hello) {
        Authenticator.Result result;
        if (hello.token() != null) {
            // a resume: no password hash to pay, whatever the password guessing did to the account
            result = Authenticator.Result.of(services.tokens().redeem(hello.user(), hello.token())
                    ? Authenticator.Outcome.ACCEPTED : Authenticator.Outcome.TOKEN_REFUSED);
        } else {
            result = services.authenticator().login(hello.user(), hello.password(), hello.register());
        }
        Authenticator.Outcome outcome = result.outcome();
        boolean known = hello.to() == null
                || (outcome != Authenticator.Outcome.REGISTERED && outcome != Authenticator.Outcome.ACCEPTED)
                || services.store().userExists(hello.to());
        LoginResult login = new LoginResult(hello, result, known, 0, null);
        if (!login.succeeded()) {
            return login;
        }
        // read before the session is registered: every message after it reaches the session
        long last = services.store().lastId();
        // before the welcome: from then on every replica's who lists this user
        services.presence().enter(hello.user());
        String token = Protocol.speaksCatchUpEnd(hello.version()) ? services.tokens().issue(hello.user()) : null;
        return new LoginResult(hello, result, known, last, token);
    }

    /** The connection closed while its login ran: what a successful one entered is undone. */
    private void abandonLogin(LoginResult login) {
        if (login.succeeded()) {
            services.presence().leave(login.hello().user());
        }
    }

    private void afterLogin(LoginResult login) {
        ClientFrame.Hello hello = login.hello();
        Authenticator.Outcome outcome = login.result().outcome();
        if (outcome == Authenticator.Outcome.WRONG_PASSWORD || outcome == Authenticator.Outcome.LOCKED_OUT) {
            services.loginRefusals().refused(hello.user(), ctx.channel().remoteAddress(), login.result());
            services.metrics().error(ErrorCode.AUTH_FAILED);
            String why = outcome == Authenticator.Outcome.WRONG_PASSWORD ? "wrong password for " + hello.user()
                    : "too many wrong passwords for " + hello.user();
            if (login.result().retryAfterMillis() > 0) {
                why += (outcome == Authenticator.Outcome.WRONG_PASSWORD ? "; too many in a row" : "")
                        + ": logins as " + hello.user() + " are refused for now; try again in "
                        + login.result().retryAfterText();
            }
            ctx.writeAndFlush(error(ErrorCode.AUTH_FAILED, why, null))
                    .addListener(ChannelFutureListener.CLOSE);
            owed.stopReading();
            return;
        }
        if (outcome == Authenticator.Outcome.TOKEN_REFUSED) {
            services.loginRefusals().refused(hello.user(), ctx.channel().remoteAddress(), login.result());
            services.metrics().error(ErrorCode.AUTH_FAILED);
            ctx.writeAndFlush(error(ErrorCode.AUTH_FAILED, "resume token unknown, already used or expired;"
                    + " log in with the password", null)).addListener(ChannelFutureListener.CLOSE);
            owed.stopReading();
            return;
        }
        if (outcome == Authenticator.Outcome.RESERVED_NAME) {
            services.loginRefusals().refused(hello.user(), ctx.channel().remoteAddress(), login.result());
            state = State.NEW;
            reply(error(ErrorCode.INVALID, "the name " + hello.user() + " is reserved; choose another", null));
            return;
        }
        if (outcome == Authenticator.Outcome.NAME_TAKEN) {
            services.loginRefusals().refused(hello.user(), ctx.channel().remoteAddress(), login.result());
            state = State.NEW;
            reply(error(ErrorCode.INVALID, "the name " + hello.user() + " is taken: " + login.result().takenBy()
                    + " is registered, and names may not differ only in case; choose another", null));
            return;
        }
        if (outcome == Authenticator.Outcome.NO_ACCOUNT) {
            state = State.NEW;
            reply(error(ErrorCode.NO_SUCH_USER, "no such user: " + hello.user() + " (not registered, as the hello"
                    + " asked: send hello without register:false to register it)", null));
            return;
        }
        if (!login.recipientKnown()) {
            state = State.NEW;
            reply(error(ErrorCode.NO_SUCH_USER, "no such user: " + hello.to(), null));
            return;
        }
        String defaultTo = hello.to() == null ? Protocol.BROADCAST : hello.to();
        Session candidate = new Session(ctx.channel(), origin, hello.user(), defaultTo,
                services.config().maxOutboundBytes(), services.metrics());
        int maxSessions = services.config().logins().maxSessionsPerUser();
        // registered before history is read: whatever is stored after the read arrives live
        if (!services.registry().add(candidate, maxSessions)) {
            services.loginRefusals().tooManySessions(hello.user(), ctx.channel().remoteAddress(), maxSessions);
            // the login entered presence for a session that is not going to be
            services.presence().leave(hello.user());
            state = State.NEW;
            reply(error(ErrorCode.INVALID, hello.user() + " already has " + maxSessions + " sessions on this server,"
                    + " the most it allows; close one, then send hello again", null));
            return;
        }
        session = candidate;
        state = State.READY;
        ctx.channel().attr(ConnectionGuard.LOGGED_IN).set(Boolean.TRUE);
        services.metrics().sessionStarted();
        issuedToken = login.token();
        int rate = services.config().rateLimit();
        write(new ServerFrame.Welcome(hello.user(), services.config().nodeId(), login.last(), login.token(),
                speaksV11 && rate > 0 ? rate : null, speaksV11 && outcome == Authenticator.Outcome.REGISTERED));
        String user = hello.user();
        if (hello.since() != null) {
            long since = hello.since();
            calls.answer(services.queries(), () -> services.store().since(user, since),
                    missed -> session.startLiveAfterCatchUp(since, missed, Protocol.speaksCatchUpEnd(hello.version())),
                    this::failSync);
        } else {
            int limit = hello.history() == null ? Protocol.DEFAULT_HISTORY : hello.history();
            calls.answer(services.queries(), () -> limit == 0 ? List.<ChatMessage>of()
                            : services.store().history(user, defaultTo, null, limit),
                    history -> {
                        write(new ServerFrame.History(defaultTo, history));
                        session.startLiveAfterHistory(defaultTo, history, login.last());
                    }, this::failSync);
        }
    }

    /** Without its history the session would silently miss messages: better to drop it. */
    private void failSync(String reason) {
        services.metrics().error(ErrorCode.UNAVAILABLE);
        ctx.writeAndFlush(error(ErrorCode.UNAVAILABLE, reason + "; reconnect to try again", null))
                .addListener(ChannelFutureListener.CLOSE);
        owed.stopReading();
    }

    // ------------------------------------------------------------------ send

    private void onSend(ClientFrame.Send send) {
        String to = send.to() != null ? send.to() : session.defaultTo();
        if (!services.health().isUp()) {
            reply(error(ErrorCode.UNAVAILABLE, "message store unreachable; not stored", send.ref()));
            return;
        }
        if (services.draining().getAsBoolean()) {
            reply(error(ErrorCode.UNAVAILABLE, "server is shutting down; not stored", send.ref()));
            return;
        }
        String ref = send.ref();
        boolean queued = services.writer().submit(new NewMessage(session.user(), to, send.text(), origin, send.id()),
                ctx.channel().eventLoop(), outcome -> afterStore(ref, to, send.id(), outcome));
        if (!queued) {
            reply(error(ErrorCode.UNAVAILABLE, "server busy; not stored", ref));
            return;
        }
        owed.owe();
    }

    private void afterStore(String ref, String to, String sendId, Outcome outcome) {
        boolean hasId = sendId != null;
        if (outcome instanceof Outcome.Stored stored) {
            services.metrics().acked(1);
            ctx.writeAndFlush(new ServerFrame.Ack(ref, stored.id(), stored.ts()), ctx.voidPromise());
        } else if (outcome instanceof Outcome.NoSuchUser) {
            reply(error(ErrorCode.NO_SUCH_USER, "no such user: " + to, ref));
        } else if (outcome instanceof Outcome.IdReused) {
            reply(error(ErrorCode.INVALID, "send id " + sendId + " was already used for a different message; "
                    + "not stored (give every message an id of its own)", ref));
        } else if (outcome instanceof Outcome.Unavailable u) {
            reply(u.maybeStored()
                    ? new ServerFrame.Error(ErrorCode.UNAVAILABLE, u.reason() + " while storing; the message may have"
                            + " been stored: " + (hasId ? "send it again with the same id, which answers with the"
                            + " original ack if it was" : "look for it (hello with since) before sending it again"),
                            ref, true)
                    : error(ErrorCode.UNAVAILABLE, u.reason() + "; not stored", ref));
        }
        owed.settle();
    }

    // ------------------------------------------------------------------ history, who, bye

    private void onHistory(ClientFrame.HistoryRequest request) {
        String user = session.user();
        int limit = request.limit() == null ? Protocol.DEFAULT_HISTORY : request.limit();
        calls.answer(services.queries(), () -> {
            if (!services.store().userExists(request.with())) {
                return null;
            }
            return services.store().history(user, request.with(), request.before(), limit);
        }, page -> {
            if (page == null) {
                reply(error(ErrorCode.NO_SUCH_USER, "no such user: " + request.with(), null));
            } else {
                write(new ServerFrame.History(request.with(), page));
            }
        }, reason -> reply(error(ErrorCode.UNAVAILABLE, reason, null)));
    }

    private void onUnread() {
        String user = session.user();
        calls.answer(services.queries(),
                () -> services.store().unread(user, Protocol.UNREAD_PREVIEW, Protocol.UNREAD_COUNT_CAP),
                conversations -> write(new ServerFrame.Unread(conversations)),
                reason -> reply(error(ErrorCode.UNAVAILABLE, reason, null)));
    }

    /**
     * Advanced only when the client says it showed the messages, not when the server delivers
     * them: a delivered message may never have been seen (a session dropped before its terminal
     * drew it, a listener piped to a file), and a position moved by delivery on one device would
     * hide from the others what nobody read.
     */
    private void onRead(ClientFrame.Read read) {
        String user = session.user();
        calls.run(services.queries(), () -> {
            services.store().markRead(user, read.with(), read.id());
            return null;
        }, ignored -> { }, ignored -> { }, reason -> log.debug("Could not record a read position ({})", reason));
    }

    private void onWho() {
        calls.answer(services.queries(), () -> {
            TreeSet<String> users = new TreeSet<>(services.presence().online());
            users.addAll(services.registry().users());
            return new ArrayList<>(users);
        }, users -> write(new ServerFrame.WhoList(users)), reason -> reply(error(ErrorCode.UNAVAILABLE, reason, null)));
    }

    private void onBye() {
        owed.stopReading();
        String token = issuedToken;
        if (token != null) {
            // the client is done: its token cannot log anyone in any more, from the moment the
            // connection closes (the revocation is owed like an ack)
            issuedToken = null;
            owed.owe();
            calls.run(services.queries(), () -> {
                services.tokens().revoke(token);
                return null;
            }, ignored -> { }, ignored -> owed.settle(), reason -> {
                log.debug("Could not revoke a resume token ({}); it expires by itself", reason);
                owed.settle();
            });
        }
        // acks still owed are written first; the last one closes the connection
        owed.closeWhenSettled();
    }

    // ------------------------------------------------------------------ replies

    private void write(ServerFrame frame) {
        services.metrics().frameOut(frame.type());
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    private void reply(ServerFrame.Error error) {
        services.metrics().error(error.code());
        ctx.writeAndFlush(error, ctx.voidPromise());
    }

    /** To a 1.1 client, with {@code retryAfterMs}: when the next frame will be taken. */
    private ServerFrame.Error rateLimited(String what, String ref) {
        return new ServerFrame.Error(ErrorCode.RATE_LIMITED, "more than " + services.config().rateLimit()
                + " frames a second; " + what, ref, false, speaksV11 ? limiter.millisUntilNext() : null);
    }

    private static ServerFrame.Error error(ErrorCode code, String message, String ref) {
        return new ServerFrame.Error(code, message, ref);
    }

    private static String refOf(ClientFrame frame) {
        return frame instanceof ClientFrame.Send send ? send.ref() : null;
    }
}
