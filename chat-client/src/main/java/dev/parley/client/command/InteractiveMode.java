package dev.parley.client.command;

import dev.parley.cli.Backoff;
import dev.parley.cli.DurationText;
import dev.parley.client.chat.ChatState;
import dev.parley.client.chat.Outgoing;
import dev.parley.client.chat.ReadMarks;
import dev.parley.client.chat.UserInput;
import dev.parley.client.net.ChatLink;
import dev.parley.client.net.Connected;
import dev.parley.client.net.LinkEnd;
import dev.parley.client.net.LinkListener;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.ui.ErrorText;
import dev.parley.client.ui.MessageFormatter;
import dev.parley.client.ui.PlainScreen;
import dev.parley.client.ui.Screen;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A person chatting: this thread reads the user's lines and sends them, the link's listener
 * thread prints what the server sends. When the connection drops the link logs in again with
 * {@code since} = the last message shown, so the screen misses nothing and repeats nothing.
 * Every typed message carries an id and stays pending until the server acknowledges it or
 * refuses it for good: a passing refusal, or a lost connection, sends it again with the same id,
 * which the server stores at most once.
 */
final class InteractiveMode implements LinkListener {
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** How long /quit waits for the acknowledgements of messages just sent. */
    static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    /** How often what was shown is told to the server: one read frame per conversation at most. */
    static final Duration READ_FLUSH = Duration.ofSeconds(1);
    /** How long a message may wait for the server's answer before the prompt counts it. */
    static final Duration UNCONFIRMED_AFTER = Duration.ofSeconds(1);
    /** How long /to waits for the server to say whether the user exists. */
    static final Duration CHECK_WAIT = Duration.ofSeconds(10);

    private final Target target;
    private final int history;
    private final boolean terminal;
    private final boolean colour;
    private final ClientEnvironment environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ChatState state;
    private final MessageFormatter format;
    private final ChatLink link;
    /** Sends pending messages again after a pause; one daemon thread, stopped when the session ends. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-retry");
        t.setDaemon(true);
        return t;
    });
    /** Typed lines on their way out, no faster than the server takes them. */
    private final PacedSender pacer;
    /** Asks again for a password typed at the prompt, to confirm a new account; null from scripts. */
    private final ClientEnvironment.PasswordPrompt confirm;
    /** Users seen online or in a conversation, for Tab. */
    private final Set<String> names = new ConcurrentSkipListSet<>();
    /** Requests asked and not yet answered on the screen, for leaving only once they are. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile Screen screen;
    private volatile boolean loginHistoryExpected;
    /** The login history is not the conversation asked for (its recipient is unknown): take it, show nothing. */
    private volatile boolean loginHistoryQuiet;
    private volatile LinkEnd end;
    /** Requests the server answers without a ref (history, who), oldest first, in the order it answers them. */
    private final Queue<Asked> asked = new ConcurrentLinkedQueue<>();
    /** What was shown and not yet told to the server, which keeps the user's read positions. */
    private final ReadMarks reads;
    /** Lines of a paste still waiting to be sent, as the pacer last said. */
    private volatile int backlog;
    /** The prompt's note as last drawn; guarded by this. */
    private String shownStatus;
    /** The server speaks 1.1 (its welcome says {@code last}): it may keep read positions, a 1.0 one does not. */
    private volatile boolean readPositions;
    /** The conversation the login history showed, whose unread messages are on the screen already. */
    private volatile String shownOnLogin;

    /**
     * One request awaiting its answer: shown when it comes, or handed to a waiting {@code /to}.
     * {@code unread}: the login's unread request, which a server older than it refuses as UNKNOWN_TYPE.
     */
    private record Asked(CompletableFuture<ServerFrame> check, boolean unread) {
        Asked(CompletableFuture<ServerFrame> check) {
            this(check, false);
        }

        static Asked shown() {
            return new Asked(null);
        }
    }

    /** @param confirm asks for the password again before registering a new account; null registers implicitly */
    InteractiveMode(Target target, int history, boolean colour, boolean terminal, ClientEnvironment environment,
                    ClientEnvironment.PasswordPrompt confirm, PrintWriter out, PrintWriter err) {
        this.confirm = confirm;
        this.target = target;
        this.history = history;
        this.terminal = terminal;
        this.colour = colour;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.state = new ChatState(target.user(), target.recipient());
        this.reads = new ReadMarks(target.user());
        this.format = new MessageFormatter(target.user(), environment.zone(), environment.clock(), colour);
        this.link = new ChatLink(target.connector(), this::resumeHello, this,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15)), HEARTBEAT);
        this.pacer = new PacedSender(line -> send(line.to(), line.text()), this::backlogChanged);
    }

    int run() {
        Connected connected;
        try {
            loginHistoryExpected = true;
            connected = login(new ClientFrame.Hello(target.user(), target.password(), state.recipient(), history, null));
            if (connected == null) {
                return ExitCode.LOGIN_REFUSED;
            }
            state.loggedIn(connected.welcome().last());
            readPositions = connected.welcome().last() != null;
            pacer.rate(connected.welcome().rateLimit());
            LoginFailure.noteRegistered(connected.welcome(), err);
        } catch (IOException | LoginRefusedException e) {
            return LoginFailure.report(e, err);
        }
        try {
            screen = terminal ? environment.terminalScreen().open()
                    : new PlainScreen(environment.stdin(), out, err, colour);
        } catch (IOException e) {
            link.close();
            err.println("parley-chat: cannot use the terminal: " + e.getMessage());
            return ExitCode.FAILED;
        }
        try {
            ServerFrame.Welcome welcome = connected.welcome();
            screen.show(format.notice("connected to " + target.address() + " (node " + welcome.node() + ") as "
                    + welcome.user() + ", talking to " + talkingTo() + "; /help lists the commands"));
            if (connected.recipientUnknown()) {
                loginHistoryQuiet = true;
                screen.show(format.error(state.recipient() + " is not a registered user yet: messages to "
                        + state.recipient() + " are refused until they log in once"));
            }
            screen.completeNames(() -> names);
            link.start();
            if (readPositions) {
                // what arrived while this user was away, on any device; answered after the login history
                request(new ClientFrame.UnreadRequest(), new Asked(null, true));
            }
            retries.scheduleWithFixedDelay(this::sendReads, READ_FLUSH.toMillis(), READ_FLUSH.toMillis(),
                    TimeUnit.MILLISECONDS);
            retries.scheduleWithFixedDelay(this::refreshStatus, 250, 250, TimeUnit.MILLISECONDS);
            String kept = null;
            while (true) {
                String line = screen.readLine(format.prompt(state.recipient()), kept);
                if (line == null) {
                    break;
                }
                UserInput input = UserInput.parse(line);
                // a line over the limit goes back into the input line, to be shortened rather than retyped
                kept = input instanceof UserInput.TooLong ? line : null;
                if (!handle(input)) {
                    break;
                }
            }
            return leave();
        } catch (Screen.Interrupted e) {
            link.close();
            return ExitCode.INTERRUPTED;
        } finally {
            retries.shutdownNow();
            pacer.close();
            screen.close();
        }
    }

    /**
     * Logs in. A password typed at the prompt does not register a name that does not exist yet
     * (a typo would silently make a new account): the person is told, and types it again to
     * register. Null when they typed a different one.
     */
    private Connected login(ClientFrame.Hello hello) throws IOException, LoginRefusedException {
        if (confirm == null) {
            return link.open(hello);
        }
        try {
            return link.open(hello.withoutRegistering());
        } catch (LoginRefusedException e) {
            if (e.error().code() != ErrorCode.NO_SUCH_USER) {
                throw e;
            }
        }
        err.println("parley-chat: there is no account named " + target.user() + " yet; type the same password "
                + "again to register it (Ctrl-C to stop)");
        err.flush();
        char[] again = confirm.ask("Password for the new account " + target.user() + " again: ");
        if (again == null || !target.password().equals(new String(again))) {
            err.println("parley-chat: the passwords differ; no account registered");
            return null;
        }
        return link.open(hello);
    }

    private int leave() {
        try {
            // a paste still draining goes out before leaving: nothing typed is lost
            if (end == null && !pacer.awaitDrained(pacer.drainTime().plus(QUIT_GRACE))) {
                screen.show(format.error(pacer.waiting() + " typed lines were never sent"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LinkEnd ended = end;
        if (ended == null) {
            try {
                state.awaitConfirmed(QUIT_GRACE);
                // piped commands (--interactive) end with the input: /who's answer is still owed
                if (!awaitAnswers(QUIT_GRACE)) {
                    screen.show(format.error("leaving before the server answered every request"));
                }
                sendReads();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            link.close();
        }
        List<Outgoing> unsent = state.unacknowledged();
        if (!unsent.isEmpty()) {
            screen.show(format.error("leaving with " + count(unsent.size(), "message") + " the server has not"
                    + " confirmed; " + (unsent.size() == 1 ? "it" : "they") + " may not have been sent"));
        }
        return ended == null ? ExitCode.OK : ExitCode.of(ended.kind());
    }

    /** Acts on one line; false when the user leaves. */
    private boolean handle(UserInput input) {
        if (input instanceof UserInput.Text t) {
            queue(state.conversation(), t.text());
        } else if (input instanceof UserInput.Msg m) {
            queue(m.user(), m.text());
        } else if (input instanceof UserInput.To to) {
            switchTo(to.user());
        } else if (input instanceof UserInput.All) {
            state.recipient(null);
            screen.show(format.notice("now talking to everyone"));
        } else if (input instanceof UserInput.History h) {
            if (loginHistoryExpected) {
                // paging from an unknown point would repeat what the login history is about to show
                screen.show(format.error("the history is still loading; try again in a moment"));
                return true;
            }
            String with = state.conversation();
            request(new ClientFrame.HistoryRequest(with, state.oldestShown(with), h.count()), Asked.shown());
        } else if (input instanceof UserInput.Who) {
            request(new ClientFrame.Who(), Asked.shown());
        } else if (input instanceof UserInput.Help) {
            for (String line : UserInput.HELP.split("\n")) {
                screen.show(format.notice(line));
            }
        } else if (input instanceof UserInput.TooLong tooLong) {
            screen.show(format.error(tooLong.problem() + (terminal ? "; it is back in the input line to shorten" : "")));
        } else if (input instanceof UserInput.Invalid invalid) {
            screen.show(format.error(invalid.problem()));
        } else if (input instanceof UserInput.Quit) {
            return false;
        }
        return true;
    }

    private void queue(String to, String text) {
        if (!pacer.offer(new PacedSender.Line(to, text))) {
            screen.show(format.error(PacedSender.CAPACITY + " lines are already waiting to be sent; not sent: " + text));
        }
    }

    /** The count of lines waiting shows in the prompt while a paste drains. */
    private void backlogChanged(int waiting) {
        backlog = waiting;
        refreshStatus();
    }

    /**
     * The prompt's note: lines of a paste still to send, and messages the server has not answered
     * for {@link #UNCONFIRMED_AFTER} (an answer normally takes milliseconds, so these are worth a
     * look); nothing when all is well. The screen is redrawn only when the note changes.
     */
    private void refreshStatus() {
        Screen s = screen;
        if (s == null) {
            return;
        }
        List<String> parts = new ArrayList<>(2);
        int waiting = backlog;
        if (waiting > 1) {
            parts.add(waiting + " to send");
        }
        int unconfirmed = state.unconfirmedLongerThan(UNCONFIRMED_AFTER);
        if (unconfirmed > 0) {
            parts.add(unconfirmed + " unconfirmed");
        }
        String note = parts.isEmpty() ? null : String.join(", ", parts);
        synchronized (this) {
            if (Objects.equals(note, shownStatus)) {
                return;
            }
            shownStatus = note;
        }
        s.status(note);
    }

    /** Waits until the requests asked have been answered on the screen, at most {@code timeout}. */
    private boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (unanswered) {
            while (unanswered.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                unanswered.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void answered() {
        synchronized (unanswered) {
            if (unanswered.get() > 0) {
                unanswered.decrementAndGet();
            }
            unanswered.notifyAll();
        }
    }

    private void send(String to, String text) {
        Outgoing outgoing = state.outgoing(to, text);
        if (outgoing == null) {
            screen.show(format.error("not sent to " + conversationName(to) + " (" + ChatState.MAX_PENDING
                    + " messages are still waiting for the server; wait for them first)"));
            return;
        }
        if (!transmit(outgoing)) {
            screen.show(format.notice("not connected; it will be sent when the connection is back"));
        }
    }

    /**
     * One attempt at a pending message, tagged with its id as ref too; false when there is no
     * connection (it waits for the next one). Nothing is sent while an attempt awaits its answer.
     */
    private boolean transmit(Outgoing o) {
        if (!state.attempt(o.id())) {
            return true;
        }
        if (!link.send(new ClientFrame.Send(o.to(), o.text(), o.id(), o.id()))) {
            state.notSent(o.id());
            return false;
        }
        return true;
    }

    /** Sends every pending message that no attempt is waiting for: after a catch-up, oldest first. */
    private void transmitPending() {
        for (Outgoing o : state.unacknowledged()) {
            transmit(o);
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** False, and said so, when not connected. */
    private boolean request(ClientFrame frame, Asked what) {
        // queued before it is sent: the answer may come before send returns
        asked.add(what);
        unanswered.incrementAndGet();
        if (!link.send(frame)) {
            asked.remove(what);
            answered();
            screen.show(format.error("not connected; try again when the connection is back"));
            return false;
        }
        return true;
    }

    /**
     * {@code /to USER}: switches only once the server confirms that USER exists, so that the
     * lines typed next do not all fail. A one-message history request is the check: the server
     * answers NO_SUCH_USER for a name nobody registered. The prompt waits for the answer, so it
     * never names a recipient that is not in effect.
     */
    private void switchTo(String user) {
        CompletableFuture<ServerFrame> answer = new CompletableFuture<>();
        if (!request(new ClientFrame.HistoryRequest(user, null, 1), new Asked(answer))) {
            return;
        }
        ServerFrame frame;
        try {
            frame = answer.get(CHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            screen.show(format.error("the server did not say whether " + user + " exists; still talking to "
                    + talkingTo()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (frame instanceof ServerFrame.Error error) {
            String why = error.code() == ErrorCode.NO_SUCH_USER ? "no such user: " + user
                    : ErrorText.describe(error, null);
            screen.show(format.error(why + "; still talking to " + talkingTo()));
            return;
        }
        state.recipient(user);
        names.add(user);
        screen.show(format.notice("now talking to " + user + " (/all for everyone)"));
    }

    private ClientFrame.Hello resumeHello() {
        return new ClientFrame.Hello(target.user(), target.password(), state.recipient(), null, state.resumeAfter());
    }

    private String talkingTo() {
        String r = state.recipient();
        return r == null ? "everyone" : r;
    }

    private static String conversationName(String with) {
        return Protocol.BROADCAST.equals(with) ? "everyone" : with;
    }

    // ---------------------------------------------------------------- listener thread

    @Override
    public void onFrame(ServerFrame frame) {
        if (frame instanceof ServerFrame.Msg msg) {
            ChatMessage m = msg.message();
            remember(m);
            switch (state.accept(m)) {
                case SHOW -> {
                    screen.show(format.message(m));
                    reads.shown(m);
                }
                case OWN -> {
                    // shown already, when its ack came
                }
                case OUT_OF_ORDER -> screen.show(format.error("the server sent message #" + m.id()
                        + " after #" + state.resumeAfter() + " (out of order or a repeat); not shown again"));
            }
        } else if (frame instanceof ServerFrame.Ack ack) {
            ChatState.Acked mine = state.acked(ack.ref(), ack.id(), ack.ts());
            if (mine != null) {
                if (!mine.alreadyShown()) {
                    screen.show(format.message(mine.message()));
                }
                refreshStatus();
            } else {
                screen.show(format.error("the server acknowledged a message this client did not send (ref "
                        + ack.ref() + ", id " + ack.id() + ")"));
            }
        } else if (frame instanceof ServerFrame.History h) {
            h.messages().forEach(this::remember);
            boolean login = loginHistoryExpected;
            if (login || !answersCheck(h)) {
                showHistory(h);
            }
            if (!login) {
                answered();
            }
        } else if (frame instanceof ServerFrame.Unread u) {
            asked.poll();
            showUnread(u);
            answered();
        } else if (frame instanceof ServerFrame.Error e) {
            // an error without a ref answers a history or who request
            Asked oldest = asked.peek();
            if (e.ref() == null && e.code() == ErrorCode.UNKNOWN_TYPE && oldest != null && oldest.unread()) {
                // a server older than read positions: nothing to show
                asked.poll();
                answered();
            } else if (e.ref() != null && e.code().retryable()) {
                retryLater(e);
            } else if (e.ref() != null || !answersCheck(e)) {
                screen.show(format.error(ErrorText.describe(e, state.failed(e.ref()))));
            }
            if (e.ref() == null) {
                answered();
            }
        } else if (frame instanceof ServerFrame.WhoList who) {
            asked.poll();
            TreeSet<String> users = new TreeSet<>(who.users());
            screen.show(format.notice(users.size() + " online: " + String.join(", ", users)));
            users.remove(target.user());
            names.addAll(users);
            answered();
        } else if (frame instanceof ServerFrame.Bye) {
            screen.show(format.notice("the server is shutting down"));
        } else if (frame instanceof ServerFrame.CaughtUp) {
            // what was missed is on the screen: pending messages follow it, and one the server stored
            // before the connection dropped was shown by the catch-up and gets its original ack
            transmitPending();
        } else {
            screen.show(format.error("the server sent an unexpected '" + frame.type() + "' frame"));
        }
    }

    /** A send refused for a passing reason stays pending, said once, and goes again after a pause. */
    private void retryLater(ServerFrame.Error e) {
        ChatState.Retry retry = state.refusedForNow(e.ref());
        if (retry == null) {
            screen.show(format.error(ErrorText.describe(e, null)));
            return;
        }
        if (retry.first()) {
            screen.show(format.notice(ErrorText.pending(e, retry.message())));
        }
        try {
            // the server says when a rate-limited connection may send again
            long delay = Math.max(retry.delay().toMillis(), e.retryAfterMs() == null ? 0 : e.retryAfterMs());
            retries.schedule(() -> transmit(retry.message()), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException ex) {
            // the session is ending; leave() reports what was never confirmed
        }
    }

    /** The other side of a message, for Tab. */
    private void remember(ChatMessage m) {
        for (String name : List.of(m.from(), m.to())) {
            if (!name.equals(target.user()) && !Protocol.BROADCAST.equals(name) && !Protocol.SERVER_USER.equals(name)) {
                names.add(name);
            }
        }
    }

    /** Takes the oldest request's answer: true when a {@code /to} waits for it, which then shows it. */
    private boolean answersCheck(ServerFrame frame) {
        Asked oldest = asked.poll();
        if (oldest == null || oldest.check() == null) {
            return false;
        }
        oldest.check().complete(frame);
        return true;
    }

    /** The connection that owed these answers is gone: a waiting {@code /to} stops waiting. */
    private void forgetAsked() {
        synchronized (unanswered) {
            unanswered.set(0);
            unanswered.notifyAll();
        }
        for (Asked a = asked.poll(); a != null; a = asked.poll()) {
            if (a.check() != null) {
                a.check().completeExceptionally(new IOException("connection lost"));
            }
        }
    }

    private void showHistory(ServerFrame.History h) {
        String name = conversationName(h.with());
        List<ChatMessage> messages = h.messages();
        if (loginHistoryExpected) {
            loginHistoryExpected = false;
            state.shownOnLogin(h.with(), messages);
            if (loginHistoryQuiet || history == 0) {
                return;
            }
            shownOnLogin = h.with();
            screen.show(format.notice(messages.isEmpty() ? "no messages yet with " + name
                    : "last " + messages.size() + " message" + (messages.size() == 1 ? "" : "s") + " with " + name + ":"));
        } else {
            state.shownPage(h.with(), messages);
            screen.show(format.notice(messages.isEmpty() ? "no earlier messages with " + name
                    : messages.size() + " earlier message" + (messages.size() == 1 ? "" : "s") + " with " + name + ":"));
        }
        for (ChatMessage m : messages) {
            screen.show(format.message(m));
        }
        reads.shown(messages);
    }

    /**
     * A line per conversation with messages from others this user has not read, on any device;
     * a DM conversation's newest ones are shown under it. The broadcast gets its line only: it is
     * everyone's, and its latest messages are the login history's.
     */
    private void showUnread(ServerFrame.Unread unread) {
        for (ServerFrame.Unread.Conversation c : unread.conversations()) {
            String counted = c.count() + (c.count() >= Protocol.UNREAD_COUNT_CAP ? "+" : "") + " unread";
            if (Protocol.BROADCAST.equals(c.with())) {
                screen.show(format.notice(counted + " with everyone since you last read"));
                continue;
            }
            if (c.with().equals(shownOnLogin)) {
                screen.show(format.notice(counted + " from " + c.with() + ", in the messages above"));
                continue;
            }
            screen.show(format.notice(counted + " from " + c.with() + ":"));
            int more = c.count() - c.messages().size();
            if (more > 0) {
                screen.show(format.notice("and " + more + " earlier: /to " + c.with() + " then /history"));
            }
            for (ChatMessage m : c.messages()) {
                remember(m);
                screen.show(format.message(m));
            }
            reads.shown(c.messages());
        }
    }

    /** Tells the server what was shown since the last time; a frame that cannot go now goes later. */
    private void sendReads() {
        for (ClientFrame.Read read : reads.take()) {
            if (readPositions && !link.send(read)) {
                reads.owe(read);
            }
        }
    }

    @Override
    public void onBadFrame(ProtocolException e) {
        screen.show(format.error("the server sent a frame this client cannot read (" + e.code() + "): " + e.getMessage()));
    }

    @Override
    public void onConnectionLost(String reason, Duration retryIn) {
        forgetAsked();
        screen.show(format.error("connection lost: " + reason + "; reconnecting in " + DurationText.format(retryIn)));
        List<Outgoing> unconfirmed = state.disconnected();
        if (!unconfirmed.isEmpty()) {
            screen.show(format.notice(count(unconfirmed.size(), "message") + " pending; "
                    + (unconfirmed.size() == 1 ? "it goes" : "they go") + " again once reconnected, and the server"
                    + " stores each one once"));
        }
    }

    @Override
    public void onRetryFailed(String reason, Duration retryIn) {
        screen.show(format.notice("still disconnected: " + reason + "; next try in " + DurationText.format(retryIn)));
    }

    @Override
    public void onReconnected(ServerFrame.Welcome welcome) {
        pacer.rate(welcome.rateLimit());
        readPositions = welcome.last() != null;
        screen.show(format.notice("reconnected to " + target.address() + " (node " + welcome.node()
                + "); catching up after message #" + state.resumeAfter()));
        if (welcome.last() == null) {
            // a v1.0 server does not say when the catch-up ends: send at once
            transmitPending();
        }
        // otherwise pending messages go out after the caught-up frame, so their acks show after
        // the messages they came after
    }

    @Override
    public void onEnded(LinkEnd ended) {
        if (ended.kind() == LinkEnd.Kind.CLOSED) {
            return;
        }
        end = ended;
        forgetAsked();
        String why = ended.kind() == LinkEnd.Kind.REFUSED ? "login refused on reconnection: " + ended.reason()
                : "connection ended: " + ended.reason();
        screen.show(format.error(why));
        screen.wakeUp();
    }
}
