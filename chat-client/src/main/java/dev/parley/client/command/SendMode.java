package dev.parley.client.command;

import dev.parley.cli.DurationText;
import dev.parley.client.chat.Outgoing;
import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.ui.ErrorText;
import dev.parley.protocol.Protocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/** {@code --send TEXT}: one message, its id on standard output once the server has stored it. */
final class SendMode {
    private final Target target;
    private final String text;
    private final Duration timeout;
    private final PrintWriter out;
    private final PrintWriter err;

    SendMode(Target target, String text, Duration timeout, PrintWriter out, PrintWriter err) {
        this.target = target;
        this.text = text;
        this.timeout = timeout;
        this.out = out;
        this.err = err;
    }

    int run() {
        String to = target.recipient() == null ? Protocol.BROADCAST : target.recipient();
        try (AckingSender sender = new AckingSender(target, err)) {
            int opened = open(sender, err);
            if (opened != ExitCode.OK) {
                return opened;
            }
            AckingSender.Result result = sender.send(to, text, timeout);
            if (result instanceof AckingSender.Acked acked) {
                out.println(acked.id());
                return ExitCode.OK;
            }
            err.println("parley-chat: " + describe(result, new Outgoing(null, to, text)));
            return ExitCode.FAILED;
        }
    }

    /** Logs {@code sender} in; returns the exit code of a failure, or OK. */
    static int open(AckingSender sender, PrintWriter err) {
        try {
            sender.open();
            return ExitCode.OK;
        } catch (IOException | LoginRefusedException e) {
            return LoginFailure.report(e, err);
        }
    }

    /** A failed result in words. */
    static String describe(AckingSender.Result result, Outgoing about) {
        if (result instanceof AckingSender.Refused refused) {
            return ErrorText.describe(refused.error(), about);
        }
        if (result instanceof AckingSender.Lost lost) {
            return "connection lost before the server confirmed the message (" + lost.reason()
                    + "); it may or may not have been stored";
        }
        if (result instanceof AckingSender.TimedOut timedOut) {
            return "no confirmation from the server within " + DurationText.format(timedOut.after())
                    + "; the message may or may not have been stored";
        }
        return "unexpected result " + result;
    }
}
