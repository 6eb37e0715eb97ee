package dev.parley.client.command;

import dev.parley.cli.ManifestVersionProvider;
import dev.parley.cli.PositiveDurationConverter;
import dev.parley.client.chat.UserInput;
import dev.parley.protocol.Protocol;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley-chat}: checks the arguments, finds the password, and hands over to the mode
 * asked for: {@link SendMode} (--send), {@link ListenMode} (--listen), {@link InteractiveMode}
 * (a terminal, or --interactive) or {@link PipeMode} (lines from a pipe).
 */
@Command(name = "parley-chat", mixinStandardHelpOptions = true, versionProvider = ManifestVersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Chat on a Parley server (protocol v1) from the terminal or from scripts.",
            "Without RECIPIENT what you type goes to everyone. In a terminal, type /help for the commands.",
            "Lines piped on standard input are sent one by one; the client exits after the last is acknowledged."},
        footerHeading = "%nPassword:%n",
        footer = {
            "  From --password-file, else the CHAT_PASSWORD environment variable, else asked for without echo.",
            "  The first login of a user name registers it with that password: at the prompt only once it is",
            "  typed a second time; from a file or CHAT_PASSWORD at once, saying so on standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (/quit or Ctrl-D, message acknowledged, listening finished)",
            "1:a message was refused, the connection dropped, or --count was not reached in time",
            "2:wrong usage (one line says why)",
            "3:the server refused the login",
            "4:the server could not be reached, or SERVER:PORT does not speak the Parley chat protocol",
            "130:Ctrl-C, at the prompt or the password prompt: leaves at once, without a word"})
public final class ChatCommand implements Callable<Integer>, ManifestVersionProvider.Details {
    static final int DEFAULT_HISTORY = 50;
    static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "SERVER", description = "Server host name or address.")
    String server;

    @Parameters(index = "1", paramLabel = "PORT", description = "Server chat port (usually " + Protocol.DEFAULT_PORT + ").")
    int port;

    @Parameters(index = "2", paramLabel = "USERNAME", description = "Your user name: 1 to 32 of A-Z a-z 0-9 _ . -")
    String user;

    @Parameters(index = "3", arity = "0..1", paramLabel = "RECIPIENT",
            description = "User to talk to; without it, everyone. With --listen, show only this conversation.")
    String recipient;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line of FILE.")
    Path passwordFile;

    @Option(names = "--send", paramLabel = "TEXT",
            description = "Send TEXT (to RECIPIENT or everyone), wait for the acknowledgement, print the message id, exit.")
    String send;

    @Option(names = "--listen", description = "Print incoming messages until --count or --timeout, then exit.")
    boolean listen;

    @Option(names = "--count", paramLabel = "N", description = "With --listen: exit after N messages.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "D", converter = PositiveDurationConverter.class,
            description = "With --listen: exit after D (10s, 500ms, 2m). With --send or a pipe: how long to wait "
                    + "for each acknowledgement (default 10s).")
    Duration timeout;

    @Option(names = "--json", description = "With --listen: print one JSON object per message.")
    boolean json;

    @Option(names = "--history", paramLabel = "N", defaultValue = "" + DEFAULT_HISTORY,
            description = "Messages of the conversation shown on connect, 0 to " + Protocol.MAX_HISTORY
                    + " (default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--no-color", description = "No colours, even on a terminal (NO_COLOR in the environment too).")
    boolean noColor;

    @Option(names = {"-i", "--interactive"},
            description = "Treat standard input as typed by a person (commands, reconnection) even when it is not a terminal.")
    boolean interactive;

    @Spec
    CommandSpec spec;

    private final ClientEnvironment environment;

    public ChatCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** What follows every usage error, instead of the whole help. */
    static final String TRY_HELP = "Try 'parley-chat --help'.";

    /** The command line for this command: a usage error is one line, its reason then {@link #TRY_HELP}; never a stack trace. */
    public static CommandLine commandLine(ClientEnvironment environment) {
        CommandLine cli = new CommandLine(new ChatCommand(environment));
        cli.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("parley-chat: " + usageLine(e));
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("parley-chat: internal error: " + e);
            commandLine.getErr().flush();
            return ExitCode.FAILED;
        });
        return cli;
    }

    @Override
    public Integer call() {
        checkArguments();
        String password;
        try {
            password = PasswordSource.resolve(passwordFile, environment.env(), environment.passwordPrompt(), user);
        } catch (PasswordSource.BadPasswordException e) {
            throw usage(e.getMessage());
        }
        Target target = new Target(server.trim(), port, user, password, recipient);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // TERM=dumb: a terminal that cannot show colours nor move the cursor gets plain lines
        boolean dumb = "dumb".equals(environment.env().get("TERM"));
        boolean colour = !noColor && !dumb && !environment.env().containsKey("NO_COLOR") && environment.stdoutIsTerminal();
        try {
            if (send != null) {
                return new SendMode(target, send, sendTimeout(), out, err).run();
            }
            if (listen) {
                return new ListenMode(target, count, timeout, json, colour, environment, out, err).run();
            }
            if (interactive || environment.stdinIsTerminal()) {
                boolean terminal = !dumb && environment.stdinIsTerminal() && environment.stdoutIsTerminal();
                // a person at the prompt confirms a new account; a script's password registers it at once
                ClientEnvironment.PasswordPrompt confirm = PasswordSource.asks(passwordFile, environment.env(),
                        environment.passwordPrompt()) ? environment.passwordPrompt() : null;
                return new InteractiveMode(target, history, colour, terminal, environment, confirm, out, err).run();
            }
            return new PipeMode(target, environment.stdin(), sendTimeout(), err).run();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private Duration sendTimeout() {
        return timeout == null ? DEFAULT_SEND_TIMEOUT : timeout;
    }

    private void checkArguments() {
        if (server.isBlank()) {
            throw usage("SERVER is empty");
        }
        if (port < 1 || port > 65535) {
            throw usage("PORT must be 1 to 65535, got " + port);
        }
        if (Protocol.SERVER_USER.equals(user)) {
            throw usage("the user name 'server' is reserved for announcements");
        }
        if (!Protocol.isValidUserName(user)) {
            throw usage("USERNAME must be 1 to 32 of A-Z a-z 0-9 _ . -, got '" + user + "'");
        }
        if (recipient != null && !Protocol.BROADCAST.equals(recipient)) {
            String problem = UserInput.recipientProblem(recipient);
            if (problem != null) {
                throw usage("RECIPIENT: " + problem);
            }
        }
        if (send != null && listen) {
            throw usage("--send and --listen do not go together");
        }
        if (!listen) {
            if (count != null) {
                throw usage("--count needs --listen");
            }
            if (json) {
                throw usage("--json needs --listen");
            }
        }
        if (count != null && count < 1) {
            throw usage("--count must be 1 or more, got " + count);
        }
        if (history < 0 || history > Protocol.MAX_HISTORY) {
            throw usage("--history must be 0 to " + Protocol.MAX_HISTORY + ", got " + history);
        }
        if (send != null) {
            int length = Protocol.textLength(send);
            if (send.isBlank()) {
                throw usage("--send needs some text");
            }
            if (length > Protocol.MAX_TEXT_CHARS) {
                throw usage("--send text is " + length + " characters, at most " + Protocol.MAX_TEXT_CHARS);
            }
        }
        if (interactive && (send != null || listen)) {
            throw usage("--interactive does not go with --send or --listen");
        }
    }

    /** The reason on one line, with picocli's guesses for a mistyped option folded in. */
    static String usageLine(CommandLine.ParameterException e) {
        String reason = e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            reason += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        return reason + ". " + TRY_HELP;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** After the name and build: the protocol this client speaks, and the Java it runs on. */
    @Override
    public List<String> versionDetails() {
        return List.of("protocol v" + Protocol.VERSION + ", Java " + Runtime.version());
    }
}
