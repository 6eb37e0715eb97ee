package dev.parley.client.command;

import dev.parley.cli.Backoff;
import dev.parley.client.chat.AskedRequests;
import dev.parley.client.chat.AskedRequests.Asked;
import dev.parley.client.chat.ChatState;
import dev.parley.client.chat.TabNames;
import dev.parley.client.chat.UserInput;
import dev.parley.client.net.ChatLink;
import dev.parley.client.net.Connected;
import dev.parley.client.net.LinkEnd;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.ui.ErrorText;
import dev.parley.client.ui.MessageFormatter;
import dev.parley.client.ui.PlainScreen;
import dev.parley.client.ui.Screen;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A person chatting: this thread reads the user's lines and sends them, the link's listener
 * thread ({@link SessionListener}) prints what the server sends. When the connection drops the
 * link logs in again with {@code since} = the last message shown, so the screen misses nothing
 * and repeats nothing. Every typed message carries an id and stays pending until the server
 * acknowledges it or refuses it for good ({@link PendingSends}). This class runs the session,
 * acts on the user's commands and wires the parts together.
 */
final class InteractiveMode {
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** How long /quit waits for the acknowledgements of messages just sent. */
    static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    /** How often what was shown is told to the server: one read frame per conversation at most. */
    static final Duration READ_FLUSH = Duration.ofSeconds(1);
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
    private final SessionScreen screen;
    private final ChatLink link;
    /** Sends pending messages again after a pause; one daemon thread, stopped when the session ends. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-retry");
        t.setDaemon(true);
        return t;
    });
    private final PendingSends pending;
    private final PromptStatus status;
    /** Typed lines on their way out, no faster than the server takes them. */
    private final PacedSender pacer;
    /** Asks again for a password typed at the prompt, to confirm a new account; null from scripts. */
    private final ClientEnvironment.PasswordPrompt confirm;
    /** Users seen online or in a conversation, for Tab. */
    private final TabNames names;
    private final AskedRequests asked = new AskedRequests();
    private final ReadPositions reads;
    private final SessionListener listener;

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
        this.format = new MessageFormatter(target.user(), environment.zone(), environment.clock(), colour);
        this.screen = new SessionScreen(format);
        this.names = new TabNames(target.user());
        this.pending = new PendingSends(state, this::send, screen, retries);
        this.status = new PromptStatus(screen, state);
        this.pacer = new PacedSender(line -> pending.send(line.to(), line.text()), status::backlogChanged);
        this.reads = new ReadPositions(target.user(), screen, names, this::send);
        this.listener = new SessionListener(target, history, state, screen, pending, reads, names, asked, status, pacer);
        this.link = new ChatLink(target.connector(), this::resumeHello, listener,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(15)), HEARTBEAT);
    }

    int run() {
        Connected connected;
        try {
            connected = NewAccountLogin.open(link,
                    new ClientFrame.Hello(target.user(), target.password(), state.recipient(), history, null),
                    target, confirm, err);
            if (connected == null) {
                return ExitCode.LOGIN_REFUSED;
            }
            state.loggedIn(connected.welcome().last());
            reads.welcome(connected.welcome());
            pacer.rate(connected.welcome().rateLimit());
            LoginFailure.noteRegistered(connected.welcome(), err);
        } catch (IOException | LoginRefusedException e) {
            return LoginFailure.report(e, err);
        }
        Screen opened;
        try {
            opened = terminal ? environment.terminalScreen().open()
                    : new PlainScreen(environment.stdin(), out, err, colour);
        } catch (IOException e) {
            link.close();
            err.println("parley-chat: cannot use the terminal: " + e.getMessage());
            return ExitCode.FAILED;
        }
        screen.open(opened);
        try {
            ServerFrame.Welcome welcome = connected.welcome();
            screen.notice("connected to " + target.address() + " (node " + welcome.node() + ") as "
                    + welcome.user() + ", talking to " + talkingTo() + "; /help lists the commands");
            if (connected.recipientUnknown()) {
                listener.quietLoginHistory();
                screen.error(state.recipient() + " is not a registered user yet: messages to "
                        + state.recipient() + " are refused until they log in once");
            }
            opened.completeNames(names::all);
            link.start();
            if (reads.kept()) {
                // what arrived while this user was away, on any device; answered after the login history
                request(new ClientFrame.UnreadRequest(), Asked.unreadOnLogin());
            }
            retries.scheduleWithFixedDelay(reads::flush, READ_FLUSH.toMillis(), READ_FLUSH.toMillis(),
                    TimeUnit.MILLISECONDS);
            retries.scheduleWithFixedDelay(status::refresh, 250, 250, TimeUnit.MILLISECONDS);
            String kept = null;
            while (true) {
                String line = opened.readLine(format.prompt(state.recipient()), kept);
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
            opened.close();
        }
    }

    private int leave() {
        try {
            // a paste still draining goes out before leaving: nothing typed is lost
            if (listener.end() == null && !pacer.awaitDrained(pacer.drainTime().plus(QUIT_GRACE))) {
                screen.error(pacer.waiting() + " typed lines were never sent");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LinkEnd ended = listener.end();
        if (ended == null) {
            try {
                state.awaitConfirmed(QUIT_GRACE);
                // piped commands (--interactive) end with the input: /who's answer is still owed
                if (!asked.awaitAnswers(QUIT_GRACE)) {
                    screen.error("leaving before the server answered every request");
                }
                reads.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            link.close();
        }
        pending.reportUnconfirmed();
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
            screen.notice("now talking to everyone");
        } else if (input instanceof UserInput.History h) {
            if (listener.loginHistoryExpected()) {
                // paging from an unknown point would repeat what the login history is about to show
                screen.error("the history is still loading; try again in a moment");
                return true;
            }
            String with = state.conversation();
            request(new ClientFrame.HistoryRequest(with, state.oldestShown(with), h.count()), Asked.shown());
        } else if (input instanceof UserInput.Who) {
            request(new ClientFrame.Who(), Asked.shown());
        } else if (input instanceof UserInput.Help) {
            for (String line : UserInput.HELP.split("\n")) {
                screen.notice(line);
            }
        } else if (input instanceof UserInput.TooLong tooLong) {
            screen.error(tooLong.problem() + (terminal ? "; it is back in the input line to shorten" : ""));
        } else if (input instanceof UserInput.Invalid invalid) {
            screen.error(invalid.problem());
        } else if (input instanceof UserInput.Quit) {
            return false;
        }
        return true;
    }

    private void queue(String to, String text) {
        if (!pacer.offer(new PacedSender.Line(to, text))) {
            screen.error(PacedSender.CAPACITY + " lines are already waiting to be sent; not sent: " + text);
        }
    }

    /** False, and said so, when not connected. */
    private boolean request(ClientFrame frame, Asked what) {
        // queued before it is sent: the answer may come before send returns
        asked.add(what);
        if (!link.send(frame)) {
            asked.withdraw(what);
            screen.error("not connected; try again when the connection is back");
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
        if (!request(new ClientFrame.HistoryRequest(user, null, 1), Asked.check(answer))) {
            return;
        }
        ServerFrame frame;
        try {
            frame = answer.get(CHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            screen.error("the server did not say whether " + user + " exists; still talking to " + talkingTo());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (frame instanceof ServerFrame.Error error) {
            String why = error.code() == ErrorCode.NO_SUCH_USER ? "no such user: " + user
                    : ErrorText.describe(error, null);
            screen.error(why + "; still talking to " + talkingTo());
            return;
        }
        state.recipient(user);
        names.add(user);
        screen.notice("now talking to " + user + " (/all for everyone)");
    }

    /** Sends on the current connection, for the parts wired before the link exists; false when there is none. */
    private boolean send(ClientFrame frame) {
        return link.send(frame);
    }

    private ClientFrame.Hello resumeHello() {
        return new ClientFrame.Hello(target.user(), target.password(), state.recipient(), null, state.resumeAfter());
    }

    private String talkingTo() {
        String r = state.recipient();
        return r == null ? "everyone" : r;
    }
}
